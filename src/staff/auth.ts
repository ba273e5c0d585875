import { randomBytes } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type * as restify from 'restify';
import type { StaffSessionStore } from '../core/handoff/liveTakeover';
import { clientIp } from '../http/clientIp';
import { hashCost, hashPassword, verifyPassword } from './password';
import { COOKIE_NAME, readCookie, type SessionSigner, type StaffSession } from './session';

/**
 * How staff logins are limited. Every guess spends its points *before* scrypt runs
 * (so concurrent guesses cannot all pass a check-then-count) and gets them back if it
 * was right. Per login, from any address, there is no lockout but a growing wait, so a
 * stranger cannot lock a staff member out while a distributed guesser is slowed to a crawl.
 */
export const LOGIN_LIMITS = {
  /** Checked guesses per login and client address in the window. */
  perLoginAndIp: 5,
  /** Checked guesses per client address, all logins together, in the window. */
  perIp: 20,
  windowSeconds: 15 * 60,
  /** Failures of one login, from any address, before each further guess must wait. */
  freeFailures: 5,
  /** The wait after the last free failure; it doubles with every further failure, up to maxDelaySeconds. */
  firstDelaySeconds: 1,
  maxDelaySeconds: 15 * 60,
  /** A login's failures count for this long after its first one (a right password does not clear them). */
  failureMemorySeconds: 24 * 60 * 60,
  /** scrypt checks at once (32 MiB and ~180 ms of CPU each); over it, 503 at once. */
  maxConcurrentChecks: 2,
};
export type LoginLimits = typeof LOGIN_LIMITS;

/** Longest a guess past the free failures holds its login's turn while scrypt runs (then the wait takes over). */
const TURN_HOLD_SECONDS = 10;
/** Presence is written at most this often per login and process (every API call would be a write otherwise). */
const PRESENCE_WRITE_MS = 30_000;

export type LoginResult =
  | { ok: true; token: string; session: StaffSession }
  | { ok: false; status: 401 }
  | { ok: false; status: 429 | 503; retryAfterSeconds: number };

export interface StaffAuthOptions {
  /** login (lower case) → scrypt hash, from STAFF_USERS. */
  users: Map<string, string>;
  signer: SessionSigner;
  sessions: StaffSessionStore;
  trustProxy: boolean;
  /** Tests shrink or raise them; LOGIN_LIMITS otherwise. */
  limits?: Partial<LoginLimits>;
}

/** Points spent on one guess, given back if it was right (or never checked). */
interface Reservation {
  /** This guess's number among the login's remembered failures (and guesses in flight). */
  attempt: number;
  refund(): Promise<void>;
}

const secondsUntil = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/**
 * Who may use the console: passwords checked with scrypt in constant time, guesses
 * limited per login and address, per address and per login (growing waits), a cap on
 * checks at once, sessions in a signed cookie. In memory: each instance counts on its own.
 */
export class StaffAuth {
  private readonly limits: LoginLimits;
  private readonly perLoginAndIp: RateLimiterMemory;
  private readonly perIp: RateLimiterMemory;
  /** Failures (and guesses in flight) per login, from any address. */
  private readonly failures: RateLimiterMemory;
  /** One point per login: held by the guess being checked past the free failures, then blocked for the wait. */
  private readonly turns: RateLimiterMemory;
  private checking = 0;
  private readonly presenceWritten = new Map<string, number>();
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly options: StaffAuthOptions) {
    const limits = (this.limits = { ...LOGIN_LIMITS, ...options.limits });
    this.perLoginAndIp = new RateLimiterMemory({ keyPrefix: 'staff-login-ip', points: limits.perLoginAndIp, duration: limits.windowSeconds });
    this.perIp = new RateLimiterMemory({ keyPrefix: 'staff-ip', points: limits.perIp, duration: limits.windowSeconds });
    this.failures = new RateLimiterMemory({ keyPrefix: 'staff-login-failures', points: Number.MAX_SAFE_INTEGER, duration: limits.failureMemorySeconds });
    this.turns = new RateLimiterMemory({ keyPrefix: 'staff-login-turn', points: 1, duration: TURN_HOLD_SECONDS });
  }

  get signer(): SessionSigner {
    return this.options.signer;
  }

  async login(ip: string, rawLogin: string, password: string): Promise<LoginResult> {
    const login = rawLogin.trim().toLowerCase();
    const reserved = await this.reserve(ip, login);
    if ('status' in reserved) return reserved;
    // A small cap on scrypt at once: over it, answer now rather than queue CPU and memory.
    if (this.checking >= this.limits.maxConcurrentChecks) {
      await reserved.refund();
      return { ok: false, status: 503, retryAfterSeconds: 1 };
    }
    this.checking++;
    let ok: boolean;
    try {
      const hash = this.options.users.get(login);
      // An unknown login costs the same scrypt as a known one, so timing does not reveal which logins exist.
      ok = (await verifyPassword(password, hash ?? (await this.standIn()))) && hash !== undefined;
    } catch (err) {
      await reserved.refund(); // our failure, not a guess
      throw err;
    } finally {
      this.checking--;
    }
    if (!ok) {
      await this.failed(login, reserved);
      return { ok: false, status: 401 };
    }
    await reserved.refund();
    const { token, session } = this.options.signer.issue(login);
    await this.options.sessions.seen(login);
    this.presenceWritten.set(login, Date.now());
    return { ok: true, token, session };
  }

  /** A hash of a random password at the configured users' cost, made once. */
  private standIn(): Promise<string> {
    const cost = hashCost(this.options.users.values().next().value);
    return (this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'), cost));
  }

  /**
   * Spend this guess's points before any scrypt: per address, per login and address,
   * and per login (past the free failures, only when it is the login's turn).
   * Refused: 429 with the wait, and nothing spent.
   */
  private async reserve(ip: string, login: string): Promise<Reservation | { ok: false; status: 429; retryAfterSeconds: number }> {
    const spent: Array<[RateLimiterMemory, string]> = [];
    const giveBack = () => Promise.all(spent.map(([limiter, key]) => limiter.reward(key))).then(() => undefined);
    try {
      for (const [limiter, key] of [
        [this.perIp, ip],
        [this.perLoginAndIp, `${login}|${ip}`],
      ] as const) {
        await limiter.consume(key);
        spent.push([limiter, key]);
      }
      const attempt = (await this.failures.consume(login)).consumedPoints;
      spent.push([this.failures, login]);
      const turn = attempt > this.limits.freeFailures;
      if (turn) await this.turns.consume(login);
      return {
        attempt,
        refund: async () => {
          await giveBack();
          if (turn) await this.turns.delete(login);
        },
      };
    } catch (rejection) {
      await giveBack();
      // Memory limiters only reject with a RateLimiterRes; anything else is a bug.
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return { ok: false, status: 429, retryAfterSeconds: secondsUntil(rejection) };
    }
  }

  /** A wrong guess keeps its points; from the last free failure on, the login's next guess waits, twice as long each time. */
  private async failed(login: string, reserved: Reservation): Promise<void> {
    const past = reserved.attempt - this.limits.freeFailures;
    if (past < 0) return;
    const wait = Math.min(this.limits.maxDelaySeconds, this.limits.firstDelaySeconds * 2 ** Math.min(past, 30));
    await this.turns.block(login, wait);
  }

  /** The logged-in staff member of this request, or undefined (no cookie, forged, expired, logged out, user removed). */
  async authenticate(req: restify.Request): Promise<StaffSession | undefined> {
    const session = this.options.signer.verify(readCookie(req.headers.cookie, COOKIE_NAME));
    if (!session || !this.options.users.has(session.login)) return undefined;
    if (await this.options.sessions.isRevoked(session.sid)) return undefined;
    const now = Date.now();
    if (now - (this.presenceWritten.get(session.login) ?? 0) > PRESENCE_WRITE_MS) {
      this.presenceWritten.set(session.login, now);
      await this.options.sessions.seen(session.login);
    }
    return session;
  }

  async logout(session: StaffSession): Promise<void> {
    await this.options.sessions.revoke(session.sid, new Date(session.exp));
    await this.options.sessions.gone(session.login);
    this.presenceWritten.delete(session.login);
  }

  /** The client's address, as the per-IP rate limit reads it (behind a trusted proxy, the last X-Forwarded-For hop, port dropped). */
  clientIp(req: restify.Request): string {
    return clientIp(req, this.options.trustProxy);
  }

  /**
   * https directly or at the proxy in front (X-Forwarded-Proto): the cookie then gets Secure.
   * Trusted without TRUST_PROXY because a spoofed header can only make the cookie stricter.
   */
  isSecure(req: restify.Request): boolean {
    if ((req.socket as { encrypted?: boolean } | undefined)?.encrypted) return true;
    return String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim().toLowerCase() === 'https';
  }
}
