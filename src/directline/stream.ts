import type { IpGate } from '../http/ipRateLimit';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { logId, type Logger } from '../logger';
import type { DirectLineChannel } from './channel';
import type { ConversationLogs } from './conversations';
import { DIRECTLINE_PREFIX } from './routes';
import { parseWatermark } from './schemas';
import { bearer, type TokenService } from './tokens';

export interface StreamDeps {
  logger: Logger;
  tokens: TokenService;
  logs: ConversationLogs;
  channel: DirectLineChannel;
  /** Per-IP budget: an upgrade spends one request from it (undefined = no per-IP limit). */
  ipGate?: IpGate;
  /** Open streams one conversation may hold (tabs, reconnects); more get 429. */
  maxPerConversation?: number;
  keepAliveMs?: number;
}

const STREAM_PATH = new RegExp(`^${DIRECTLINE_PREFIX}/conversations/([A-Za-z0-9_-]{1,64})/stream$`);

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests' };

/** Answer and close: a refused socket is never left open for the client to hold. */
function refuse(socket: Duplex, status: number, error: string, retryAfterSeconds?: number): void {
  const body = JSON.stringify({ error });
  const retry = retryAfterSeconds === undefined ? '' : `Retry-After: ${retryAfterSeconds}\r\n`;
  // The HTTP server no longer watches an upgraded socket: a reset while we answer must not crash the process.
  socket.on('error', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nConnection: close\r\n${retry}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}

/** The request's path; undefined when the target is no URL at all ("GET http://[ HTTP/1.1"). */
function pathOf(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
}

/**
 * The Direct Line WebSocket stream on the HTTP server's `upgrade` event:
 * GET {streamUrl} = /v3/directline/conversations/:id/stream?watermark=N&t=<token>.
 * Same token rules as the REST calls (the token in `t`, as Azure does, or a Bearer header).
 * It first sends what the conversation holds after the watermark, then every new
 * activity as `{activities:[…], watermark}`; the client's own empty frames are ignored.
 * Nothing else in the service takes WebSockets: an upgrade to any other path is counted
 * against the per-IP budget like any request and refused at once (404, socket closed);
 * left alone it would hold its socket open for ever.
 */
export function attachStream(httpServer: Server, deps: StreamDeps): { close(): void } {
  const { logger, tokens, logs, channel } = deps;
  const maxPerConversation = deps.maxPerConversation ?? 10;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  const alive = new WeakMap<WebSocket, boolean>();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = pathOf(req);
    const answer = () => {
      if (!url || !url.pathname.startsWith(`${DIRECTLINE_PREFIX}/`)) return refuse(socket, 404, 'not found');
      upgrade(req, socket, head, url);
    };
    if (!deps.ipGate) return answer();
    // Until the budget answers, a reset connection must not crash the process.
    const ignore = () => undefined;
    socket.on('error', ignore);
    void deps.ipGate.check(req).then((admission) => {
      socket.off('error', ignore);
      if (socket.destroyed) return;
      if (!admission.ok) return refuse(socket, 429, 'too many requests; please wait and try again', admission.retryAfterSeconds);
      answer();
    });
  };

  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) => {
    const match = STREAM_PATH.exec(url.pathname);
    if (!match) return refuse(socket, 404, 'not found');
    const verified = tokens.verify(url.searchParams.get('t') ?? bearer(req.headers.authorization));
    if (!verified.ok) return refuse(socket, verified.status, verified.error);
    if (verified.claims.conv !== match[1]) return refuse(socket, 403, 'token is not valid for this conversation');
    const watermark = parseWatermark(url.searchParams.get('watermark'));
    if (watermark === null) return refuse(socket, 400, 'watermark must be a whole number');
    const existing = logs.get(verified.claims.conv);
    if (existing && existing.listeners.size >= maxPerConversation) return refuse(socket, 429, 'too many streams for this conversation');

    const { claims } = verified;
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
      ws.on('error', () => ws.terminate());
      // Web Chat pings with empty text frames; nothing the page sends here is read.
      ws.on('message', () => alive.set(ws, true));

      const { conversation, created } = logs.open(claims.conv, claims.user);
      // Backlog then subscription, in one synchronous step: nothing can fall between them.
      // All of it in one frame: the log's byte budget bounds it.
      const backlog = logs.after(conversation, watermark, Number.POSITIVE_INFINITY);
      if (backlog.activities.length) ws.send(JSON.stringify(backlog));
      const unsubscribe = logs.subscribe(conversation, (set) => {
        if (!set) return ws.close(1000, 'conversation ended');
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(set));
      });
      ws.on('close', unsubscribe);
      logger.debug({ event: 'directline-stream-open', conversation: logId(conversation.id) }, 'direct line stream open');
      if (created) {
        channel.start(conversation).catch((err: Error) => logger.error({ event: 'directline-start-failed', err: err.message }, 'could not start the conversation'));
      }
    });
  };

  // Protocol pings keep proxies from closing idle streams and find dead peers.
  const keepAlive = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, deps.keepAliveMs ?? 30_000);
  keepAlive.unref();

  httpServer.on('upgrade', onUpgrade);
  return {
    close() {
      clearInterval(keepAlive);
      httpServer.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
