import type * as restify from 'restify';
import { readJsonBody } from '../http/server';
import type { Logger } from '../logger';
import type { DirectLineChannel } from './channel';
import type { ConversationLogs } from './conversations';
import { HttpError, handle } from './http';
import { BotActivitySchema, describeIssue } from './schemas';

export const CONNECTOR_PREFIX = '/directline/connector';

export interface ConnectorDeps {
  logger: Logger;
  logs: ConversationLogs;
  channel: DirectLineChannel;
  maxBodyBytes: number;
  /** The secret path segment (derived from the token key) that only this service puts in its serviceUrl. */
  key: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const FORWARDED = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

/**
 * Only this process calls these routes: over loopback (or its own address to itself),
 * not through a proxy (a proxy on the same host would otherwise look local), and with
 * the secret key in the path that only our serviceUrl carries. Nothing else gets in.
 */
function fromOurselves(req: restify.Request, key: string): boolean {
  const socket = req.socket;
  const local = LOOPBACK.has(socket.remoteAddress ?? '') || (socket.remoteAddress !== undefined && socket.remoteAddress === socket.localAddress);
  const proxied = FORWARDED.some((h) => req.headers[h] !== undefined);
  return local && !proxied && req.params.key === key;
}

/**
 * The small part of the Bot Connector API that the bot's ConnectorClient calls on a
 * Direct Line conversation's serviceUrl: proactive messages (adapter.continueConversationAsync,
 * e.g. staff taking over) and updates land in the conversation's log and stream.
 *   POST {serviceUrl}/v3/conversations/:conversationId/activities
 *   POST {serviceUrl}/v3/conversations/:conversationId/activities/:activityId   (reply)
 *   PUT  {serviceUrl}/v3/conversations/:conversationId/activities/:activityId   (update)
 */
export function registerConnectorRoutes(server: restify.Server, deps: ConnectorDeps): void {
  const { logger, logs, channel } = deps;
  const base = `${CONNECTOR_PREFIX}/:key/v3/conversations/:conversationId/activities`;

  const read = async (req: restify.Request) => {
    if (!fromOurselves(req, deps.key)) {
      req.resume();
      throw new HttpError(403, 'forbidden');
    }
    const parsed = BotActivitySchema.safeParse(await readJsonBody(req, deps.maxBodyBytes));
    if (!parsed.success) throw new HttpError(400, describeIssue(parsed.error, 'activity'));
    const conversation = logs.get(String(req.params.conversationId));
    if (!conversation) throw new HttpError(404, 'conversation not found or expired');
    return { activity: parsed.data, conversation };
  };

  const send = handle(logger, async (req, res) => {
    const { activity, conversation } = await read(req);
    const stored = channel.fromBot(conversation, activity);
    res.json({ id: stored.id });
  });

  server.post(base, send);
  server.post(`${base}/:activityId`, send);
  server.put(
    `${base}/:activityId`,
    handle(logger, async (req, res) => {
      const { activity, conversation } = await read(req);
      const id = String(req.params.activityId);
      if (!channel.update(conversation, id, activity)) throw new HttpError(404, 'activity not found');
      res.json({ id });
    }),
  );
}
