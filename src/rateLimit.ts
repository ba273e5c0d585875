import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** The answer of a limiter: allowed, or refused with the seconds to wait (`first`: the key's first refusal this minute, worth a log line). */
export type Admission = { ok: true } | { ok: false; retryAfterSeconds: number; first: boolean };

/** The per-conversation limiter's key: the same for a channel's turns and for Direct Line posts. */
export function conversationLimitKey(channelId: string | undefined, conversationId: string | undefined): string {
  return `${channelId}/${conversationId}`;
}

/**
 * Turn state set by a channel that counted the message before the turn (Direct Line counts
 * a post before logging it): the bot reads this admission instead of counting again.
 * A symbol in process memory: nothing a request carries can set it.
 */
export const CONVERSATION_ADMISSION = Symbol('conversation-admission');

export interface Limiter {
  /** Count one request for `key`. */
  take(key: string): Promise<Admission>;
}

export interface LimiterOptions {
  /** Half as many again once per five minutes (a fast typist, a page reload): on by default, for people; off for flood guards. */
  burst?: boolean;
  now?: () => number;
}

/**
 * `perMinute` requests a minute per key, plus the burst unless `burst: false`.
 * In memory: each instance counts on its own (with N instances behind a load
 * balancer a client may get up to N times the limit). 0 = no limit (undefined).
 */
export function createLimiter(perMinute: number, name: string, options: LimiterOptions = {}): Limiter | undefined {
  if (perMinute <= 0) return undefined;
  const now = options.now ?? Date.now;
  const minute = new RateLimiterMemory({ keyPrefix: name, points: perMinute, duration: 60 });
  const limiter = (options.burst ?? true)
    ? new BurstyRateLimiter(minute, new RateLimiterMemory({ keyPrefix: `${name}-burst`, points: Math.max(1, Math.ceil(perMinute / 2)), duration: 300 }))
    : minute;
  // Keys refused this minute: one log line per key and minute, not one per refused request (a flood would flood the log).
  let refused = new Set<string>();
  let since = now();
  return {
    async take(key) {
      try {
        await limiter.consume(key);
        return { ok: true };
      } catch (rejection) {
        // Memory limiters only reject with a RateLimiterRes; anything else is a bug, never a reason to refuse a visitor.
        if (!(rejection instanceof RateLimiterRes)) return { ok: true };
        if (now() - since > 60_000) {
          refused = new Set();
          since = now();
        }
        const first = !refused.has(key);
        if (first && refused.size < 10_000) refused.add(key);
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), first };
      }
    },
  };
}
