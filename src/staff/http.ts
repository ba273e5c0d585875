import type * as restify from 'restify';
import { HttpError, readJsonBody } from '../http/server';

/** A 4xx (or 502 for a channel that would not take a message) with a JSON body the console can show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Staff API bodies are small: a note or a chat line. */
export const STAFF_BODY_LIMIT = 16 * 1024;

/** Read a JSON body (an empty body reads as {}) with the service's reader: size and depth limits, a clear 4xx. */
export async function readJson(req: restify.Request, limit = STAFF_BODY_LIMIT): Promise<unknown> {
  try {
    return (await readJsonBody(req, limit, { allowEmpty: true })) ?? {};
  } catch (err) {
    if (err instanceof HttpError) throw new ApiError(err.status, err.message);
    throw err;
  }
}

/** Nothing the console shows may be cached (it is health information), framed or sniffed. */
export function noStore(res: restify.Response): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
}

export function sendJson(res: restify.Response, status: number, body: unknown): void {
  if (res.headersSent) return;
  noStore(res);
  res.status(status);
  res.json(body);
}
