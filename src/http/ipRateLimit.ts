import type { IncomingMessage } from 'node:http';
import type * as restify from 'restify';
import type { Logger } from '../logger';
import type { Admission, Limiter } from '../rateLimit';
import { clientIp, isLoopback, viaProxy } from './clientIp';
import { sendError } from './server';

export interface IpRateLimitDeps {
  /** Undefined = no per-IP limit (RATE_LIMIT_IP_PER_MINUTE=0). */
  limiter: Limiter | undefined;
  /** With auth on, /api/messages comes from Azure's Bot Connector (few addresses, many visitors): not limited per IP. */
  authEnabled: boolean;
  trustProxy: boolean;
  logger: Logger;
  /** Who is asking; tests pass their own. Default: clientIp(req, trustProxy). */
  clientIp?: (req: IncomingMessage) => string;
}

/**
 * The public endpoints: anyone on the internet can call them without a Bot Framework token.
 * Judged on the route restify matched, never on the raw URL: the router decodes
 * percent-escapes, cuts at ';' and '#', and reads '\' as '/', so every spelling it serves
 * reaches the same route (and the same budget), and spellings it does not serve get 404.
 */
export function limitedRoute(routePath: string | RegExp | undefined, authEnabled: boolean): boolean {
  if (typeof routePath !== 'string') return false;
  if (routePath.startsWith('/v3/directline/')) return true;
  return !authEnabled && routePath.startsWith('/api/');
}

/** Whether one request may go on: loopback and trusted exemptions applied, the event logged once per window. */
export interface IpGate {
  check(req: IncomingMessage): Promise<Admission>;
}

/**
 * The per-IP budget, shared by the HTTP routes and the Direct Line WebSocket
 * upgrades (one budget per address for both). Loopback clients (local tools, the
 * Emulator, an evaluation harness) are exempt, unless they came through a proxy
 * this service was not told to trust. Undefined when the limit is off.
 */
export function createIpGate(deps: IpRateLimitDeps): IpGate | undefined {
  const { limiter, logger } = deps;
  if (!limiter) return undefined;
  const ipOf = deps.clientIp ?? ((req: IncomingMessage) => clientIp(req, deps.trustProxy));
  let warned = false;
  return {
    async check(req: IncomingMessage): Promise<Admission> {
      const ip = ipOf(req);
      const proxied = !deps.trustProxy && viaProxy(req);
      if (isLoopback(ip) && !proxied) return { ok: true };
      if (proxied && !warned) {
        warned = true;
        logger.warn({ event: 'rate-limit-proxy' }, 'requests arrive through a proxy but TRUST_PROXY is off: every visitor shares the proxy address and its rate limit');
      }
      let admission: Admission;
      try {
        admission = await limiter.take(`ip:${ip}`);
      } catch {
        return { ok: true }; // a limiter failure never locks visitors out
      }
      // No address in the log: the event and the route are enough to see a flood.
      if (!admission.ok && admission.first) logger.warn({ event: 'rate-limited', scope: 'ip', route: req.url?.split('?')[0]?.slice(0, 80) }, 'client over the per-IP rate limit');
      return admission;
    },
  };
}

/**
 * Per client IP on /v3/directline/* and, with auth off, /api/*: over the limit,
 * 429 with Retry-After (see createIpGate for who is exempt).
 * A `use` handler runs after routing and before the route's own handlers, so it
 * sees the matched route; CORS (a pre-handler) has already run, so a listed site can read the 429.
 */
export function installIpRateLimit(server: restify.Server, gate: IpGate | undefined, authEnabled: boolean): void {
  if (!gate) return;
  server.use((req: restify.Request, res: restify.Response, next: restify.Next) => {
    if (!limitedRoute(req.getRoute()?.path, authEnabled)) return next();
    void gate.check(req).then((admission) => {
      if (admission.ok) return next();
      req.resume();
      res.setHeader('Retry-After', String(admission.retryAfterSeconds));
      sendError(res, 429, 'too many requests; please wait and try again');
      return next(false);
    });
  });
}
