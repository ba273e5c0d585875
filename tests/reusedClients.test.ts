import type { Activity } from 'botbuilder';
import type { AuthenticateRequestResult, ConnectorFactory } from 'botframework-connector';
import { ReusingBotFrameworkAuthentication } from '../src/reusedClients';

function factoryOf(result: AuthenticateRequestResult): ConnectorFactory {
  if (!result.connectorFactory) throw new Error('no connector factory');
  return result.connectorFactory;
}
/** Where a client sends (protected in the SDK's types). */
const baseUri = (client: unknown) => (client as { baseUri: string }).baseUri;

const activity = (serviceUrl: string) => ({ type: 'message', channelId: 'webchat', serviceUrl, conversation: { id: 'c1' }, from: { id: 'u' }, recipient: { id: 'b' } }) as Activity;

describe('ReusingBotFrameworkAuthentication', () => {
  const auth = new ReusingBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '' } as never);

  it('when two turns come from the same service URL, then they get the same ConnectorClient', async () => {
    const first = await auth.authenticateRequest(activity('http://127.0.0.1:1/a'), '');
    const second = await auth.authenticateRequest(activity('http://127.0.0.1:1/a'), '');
    const a = await factoryOf(first).create('http://127.0.0.1:1/a', first.audience);
    const b = await factoryOf(second).create('http://127.0.0.1:1/a', second.audience);
    expect(a).toBe(b);
    expect(baseUri(a)).toBe('http://127.0.0.1:1/a');
  });

  it('when the service URL differs, then the client is another one, addressed to that URL', async () => {
    const result = await auth.authenticateRequest(activity('http://127.0.0.1:1/a'), '');
    const a = await factoryOf(result).create('http://127.0.0.1:1/a', result.audience);
    const other = await factoryOf(result).create('http://127.0.0.1:2/b', result.audience);
    expect(other).not.toBe(a);
    expect(baseUri(other)).toBe('http://127.0.0.1:2/b');
  });

  it('when a proactive turn asks for a factory or a user token client, then those are reused too', async () => {
    const result = await auth.authenticateRequest(activity('http://127.0.0.1:1/a'), '');
    const viaTurn = await factoryOf(result).create('http://127.0.0.1:1/a', result.audience);
    const proactive = await auth.createConnectorFactory(result.claimsIdentity).create('http://127.0.0.1:1/a', result.audience);
    expect(proactive).toBe(viaTurn);
    const t1 = await auth.createUserTokenClient(result.claimsIdentity);
    const t2 = await auth.createUserTokenClient(result.claimsIdentity);
    expect(t1).toBe(t2);
  });

  it('when more service URLs come than the cache holds, then the oldest client is built again', async () => {
    const result = await auth.authenticateRequest(activity('http://127.0.0.1:1/a'), '');
    const factory = factoryOf(result);
    const oldest = await factory.create('http://127.0.0.1:3/0', result.audience);
    for (let i = 1; i <= 64; i++) await factory.create(`http://127.0.0.1:3/${i}`, result.audience);
    expect(await factory.create('http://127.0.0.1:3/0', result.audience)).not.toBe(oldest);
  });
});
