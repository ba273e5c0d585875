import { ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import {
  ConnectorFactory,
  JwtTokenValidation,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorClient,
  type UserTokenClient,
} from 'botframework-connector';

/** Bounded: with auth off the serviceUrl is whatever the request says. */
const MAX_CLIENTS = 64;

/** A small insertion-ordered cache: the oldest entry goes when it is full. */
class Bounded<V> {
  private readonly map = new Map<string, V>();
  get(key: string, make: () => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) return hit;
    if (this.map.size >= MAX_CLIENTS) this.map.delete(this.map.keys().next().value!);
    const value = make();
    this.map.set(key, value);
    return value;
  }
  delete(key: string): void {
    this.map.delete(key);
  }
}

/** Makes one ConnectorClient per service URL and audience, then hands out the same one. */
class ReusingConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly scope: string,
    private readonly clients: Bounded<Promise<ConnectorClient>>,
  ) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    const key = `${this.scope}\n${serviceUrl}\n${audience ?? ''}`;
    const client = this.clients.get(key, () => this.inner.create(serviceUrl, audience));
    // A failed creation (credentials) is not kept: the next turn tries again.
    client.catch(() => this.clients.delete(key));
    return client;
  }
}

/**
 * The SDK's authentication, except that the ConnectorClient and UserTokenClient
 * are built once per bot app id, service URL and audience instead of on every
 * turn. Building them (an Azure HTTP pipeline each) was about a tenth of a
 * turn's CPU, and every turn paid it although expectReplies turns never use
 * them. The clients hold no per-turn state; tokens are fetched and refreshed
 * by their credentials as before.
 */
export class ReusingBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectors = new Bounded<Promise<ConnectorClient>>();
  private readonly tokenClients = new Bounded<Promise<UserTokenClient>>();

  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.reusing(await super.authenticateRequest(activity, authHeader));
  }

  async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.reusing(await super.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new ReusingConnectorFactory(super.createConnectorFactory(claimsIdentity), scopeOf(claimsIdentity), this.connectors);
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    const key = scopeOf(claimsIdentity);
    const client = this.tokenClients.get(key, () => super.createUserTokenClient(claimsIdentity));
    client.catch(() => this.tokenClients.delete(key));
    return client;
  }

  private reusing(result: AuthenticateRequestResult): AuthenticateRequestResult {
    if (!result.connectorFactory) return result;
    return { ...result, connectorFactory: new ReusingConnectorFactory(result.connectorFactory, scopeOf(result.claimsIdentity), this.connectors) };
  }
}

/** Whose clients: the app id the claims were issued to (a skill's caller differs from a channel). */
function scopeOf(claimsIdentity: ClaimsIdentity): string {
  return `${JwtTokenValidation.getAppIdFromClaims(claimsIdentity.claims) ?? ''}\n${claimsIdentity.isAuthenticated ? 'auth' : 'anon'}`;
}
