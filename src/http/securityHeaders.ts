import type { IncomingMessage } from 'node:http';
import type * as restify from 'restify';

export interface SecurityHeaderOptions {
  /** X-Forwarded-Proto is believed only from a proxy we were told to trust. */
  trustProxy: boolean;
  /** Strict-Transport-Security max-age; 0 = no header. */
  hstsMaxAgeSeconds: number;
}

/** The request reached us over https: TLS on our own socket, or at a trusted proxy (the last X-Forwarded-Proto hop). */
export function servedOverHttps(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as { encrypted?: boolean } | undefined)?.encrypted) return true;
  if (!trustProxy) return false;
  const header = req.headers['x-forwarded-proto'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',');
  return hops[hops.length - 1]!.trim().toLowerCase() === 'https';
}

/**
 * On every response, before any route (429s, 404s and CORS preflights included):
 * nosniff, so a browser never reads our JSON as a script or a page; and HSTS when
 * the request came over https (browsers ignore it over plain http, and a plain-http
 * deployment must not be told to pin https).
 */
export function installSecurityHeaders(server: restify.Server, options: SecurityHeaderOptions): void {
  const hsts = options.hstsMaxAgeSeconds > 0 ? `max-age=${options.hstsMaxAgeSeconds}` : undefined;
  server.pre((req: restify.Request, res: restify.Response, next: restify.Next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (hsts && servedOverHttps(req, options.trustProxy)) res.setHeader('Strict-Transport-Security', hsts);
    return next();
  });
}
