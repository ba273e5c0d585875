import type { IncomingMessage } from 'node:http';
import type * as restify from 'restify';
import { HttpError, sendError } from '../http/server';
import type { Logger } from '../logger';

export type Handler = (req: restify.Request, res: restify.Response) => Promise<void>;

/** Every Direct Line handler: a known failure is a short JSON 4xx; anything else is logged (without content). */
export function handle(logger: Logger, fn: Handler): Handler {
  return async (req, res) => {
    try {
      await fn(req, res);
    } catch (err) {
      if (err instanceof HttpError) {
        if (err.status >= 500) logger.warn({ event: 'directline-upstream', status: err.status, reason: err.message }, 'direct line upstream failed');
        else logger.info({ event: 'directline-rejected', status: err.status, reason: err.message }, 'direct line request rejected');
        sendError(res, err.status, err.message);
      } else {
        logger.error({ event: 'directline-failed', err: { message: (err as Error).message, stack: (err as Error).stack } }, 'direct line request failed');
        sendError(res, 500, 'internal error');
      }
    }
  };
}

/**
 * A large JSON answer (a transcript page, up to DIRECTLINE_MAX_CONVERSATION_BYTES), encoded
 * once: restify's res.json scans the string again for its UTF-8 length and the socket encodes
 * it a third time. Under repeated full-transcript reads those passes were most of the CPU.
 */
export function sendJsonBytes(res: restify.Response, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.sendRaw(200, bytes, { 'Content-Type': 'application/json', 'Content-Length': String(bytes.length) });
}

export function query(req: IncomingMessage): URLSearchParams {
  return new URL(req.url ?? '/', 'http://localhost').searchParams;
}

function first(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v?.split(',')[0]?.trim() || undefined;
}

const HOST = /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;

/** ws(s)://host the page reached us at (behind a proxy: X-Forwarded-Proto/Host), for the streamUrl. */
export function webSocketBase(req: IncomingMessage, fallbackHost: string): string {
  const proto = first(req.headers['x-forwarded-proto']) ?? ((req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http');
  const host = first(req.headers['x-forwarded-host']) ?? first(req.headers.host);
  return `${proto === 'https' ? 'wss' : 'ws'}://${host && HOST.test(host) ? host : fallbackHost}`;
}

export { HttpError };
