import type * as restify from 'restify';

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

/** Read a JSON body (an empty body reads as {}), with a size limit and a clear 4xx on anything else. */
export function readJson(req: restify.Request, limit = STAFF_BODY_LIMIT): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new ApiError(413, `body larger than ${limit} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new ApiError(413, `body larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      if (!failed) reject(new ApiError(400, 'could not read body'));
      failed = true;
    });
    req.on('end', () => {
      if (failed) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text.trim()) return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new ApiError(400, 'malformed JSON'));
      }
    });
  });
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
