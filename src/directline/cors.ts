import type * as restify from 'restify';
import { DIRECTLINE_PREFIX } from './routes';

export { isOrigin, parseOrigins } from './origins';

/**
 * CORS for the Direct Line REST calls, for a chat widget on another site (e.g. the
 * center's website while the bot runs elsewhere). Only the listed origins; tokens travel
 * in the Authorization header, never in cookies, so no credentials mode.
 */
export function registerCors(server: restify.Server, origins: string[]): void {
  if (!origins.length) return;
  const allowed = new Set(origins);
  server.pre((req: restify.Request, res: restify.Response, next: restify.Next) => {
    const origin = req.headers.origin;
    if (!origin || !allowed.has(origin) || !(req.url ?? '').startsWith(`${DIRECTLINE_PREFIX}/`)) return next();
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    if (req.method !== 'OPTIONS') return next();
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    // directlinejs sends x-ms-bot-agent; rxjs' ajax adds X-Requested-With.
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, x-ms-bot-agent, X-Requested-With');
    res.setHeader('Access-Control-Max-Age', '600');
    res.writeHead(204);
    res.end();
    return next(false);
  });
}
