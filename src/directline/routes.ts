import type * as restify from 'restify';
import type { Config } from '../config';
import { readJsonBody } from '../http/server';
import type { Logger } from '../logger';
import { exchangeAzureToken } from './azure';
import type { DirectLineChannel } from './channel';
import type { Conversation, ConversationLogs } from './conversations';
import { HttpError, handle, query, sendJsonBytes, webSocketBase } from './http';
import { ClientActivitySchema, StartBodySchema, describeIssue, parseWatermark } from './schemas';
import { bearer, randomId, type TokenClaims, type TokenService } from './tokens';

export const DIRECTLINE_PREFIX = '/v3/directline';

export interface RouteDeps {
  config: Config;
  logger: Logger;
  tokens: TokenService;
  logs: ConversationLogs;
  channel: DirectLineChannel;
  /** host:port to put in a streamUrl when the request's Host header is unusable. */
  localHost: () => string;
}

/**
 * The Direct Line 3.0 REST API, as botframework-directlinejs (Web Chat) calls it:
 *   POST /tokens/generate, POST /tokens/refresh,
 *   POST /conversations, GET /conversations/:id?watermark=,
 *   POST /conversations/:id/activities, GET /conversations/:id/activities?watermark=
 *   (a page at a time: the answer's watermark asks for the next).
 * Every call but tokens/generate needs `Authorization: Bearer <token>`; a token is bound
 * to one conversation (403 elsewhere), 403 when expired, 401 when missing or forged.
 */
export function registerDirectLineRoutes(server: restify.Server, deps: RouteDeps): void {
  const { config, logger, tokens, logs, channel } = deps;
  const limit = config.MAX_BODY_BYTES;

  const authorize = (req: restify.Request, conversationId?: string): TokenClaims => {
    const verified = tokens.verify(bearer(req.headers.authorization));
    if (!verified.ok) throw new HttpError(verified.status, verified.error);
    if (conversationId !== undefined && verified.claims.conv !== conversationId) {
      throw new HttpError(403, 'token is not valid for this conversation');
    }
    return verified.claims;
  };

  /** The conversation, started (the bot welcomes the visitor) the first time it is used. */
  const open = async (claims: TokenClaims, locale?: string): Promise<{ conversation: Conversation; created: boolean }> => {
    const opened = logs.open(claims.conv, claims.user);
    if (opened.created) await channel.start(opened.conversation, locale);
    return opened;
  };

  const watermarkOf = (req: restify.Request): number | undefined => {
    const watermark = parseWatermark(query(req).get('watermark'));
    if (watermark === null) throw new HttpError(400, 'watermark must be a whole number');
    return watermark;
  };

  const streamUrl = (req: restify.Request, conversationId: string, token: string, watermark?: number): string => {
    const params = new URLSearchParams({ ...(watermark !== undefined ? { watermark: String(watermark) } : {}), t: token });
    return `${webSocketBase(req, deps.localHost())}${DIRECTLINE_PREFIX}/conversations/${encodeURIComponent(conversationId)}/stream?${params}`;
  };

  const startBody = async (req: restify.Request) => {
    const parsed = StartBodySchema.safeParse(await readJsonBody(req, limit, { allowEmpty: true }));
    if (!parsed.success) throw new HttpError(400, describeIssue(parsed.error, 'request'));
    return parsed.data;
  };

  server.post(
    `${DIRECTLINE_PREFIX}/tokens/generate`,
    handle(logger, async (req, res) => {
      await startBody(req);
      // The server picks the user id: "dl_" ids are the ones Direct Line embeds in tokens.
      const userId = randomId('dl_');
      if (config.DIRECTLINE_SECRET) {
        res.json(await exchangeAzureToken(config.DIRECTLINE_SECRET, userId));
        return;
      }
      res.json(tokens.issue(randomId(), userId));
    }),
  );

  server.post(
    `${DIRECTLINE_PREFIX}/tokens/refresh`,
    handle(logger, async (req, res) => {
      const claims = authorize(req);
      res.json(tokens.issue(claims.conv, claims.user));
    }),
  );

  server.post(
    `${DIRECTLINE_PREFIX}/conversations`,
    handle(logger, async (req, res) => {
      const claims = authorize(req);
      const body = await startBody(req);
      const { created } = await open(claims, body?.locale);
      const issued = tokens.issue(claims.conv, claims.user);
      res.status(created ? 201 : 200);
      res.json({ ...issued, streamUrl: streamUrl(req, claims.conv, issued.token), referenceGrammarId: '' });
    }),
  );

  server.get(
    `${DIRECTLINE_PREFIX}/conversations/:conversationId`,
    handle(logger, async (req, res) => {
      const claims = authorize(req, req.params.conversationId);
      const watermark = watermarkOf(req);
      await open(claims);
      const issued = tokens.issue(claims.conv, claims.user);
      res.json({ ...issued, streamUrl: streamUrl(req, claims.conv, issued.token, watermark), referenceGrammarId: '' });
    }),
  );

  server.get(
    `${DIRECTLINE_PREFIX}/conversations/:conversationId/activities`,
    handle(logger, async (req, res) => {
      const claims = authorize(req, req.params.conversationId);
      const watermark = watermarkOf(req);
      const { conversation } = await open(claims);
      sendJsonBytes(res, logs.after(conversation, watermark));
    }),
  );

  server.post(
    `${DIRECTLINE_PREFIX}/conversations/:conversationId/activities`,
    handle(logger, async (req, res) => {
      const claims = authorize(req, req.params.conversationId);
      const parsed = ClientActivitySchema.safeParse(await readJsonBody(req, limit));
      if (!parsed.success) throw new HttpError(400, describeIssue(parsed.error, 'activity'));
      const { conversation } = await open(claims, parsed.data.locale);
      const received = await channel.receive(conversation, parsed.data);
      if (!received.ok) {
        res.header('Retry-After', String(received.retryAfterSeconds));
        throw new HttpError(429, 'too many messages in this conversation; please wait and try again');
      }
      res.json({ id: received.id });
    }),
  );

  server.post(
    `${DIRECTLINE_PREFIX}/conversations/:conversationId/upload`,
    handle(logger, async (req) => {
      authorize(req, req.params.conversationId);
      req.resume();
      throw new HttpError(415, 'file uploads are not supported; please type your question');
    }),
  );
}
