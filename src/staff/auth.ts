import { randomBytes } from 'node:crypto';
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import type * as restify from 'restify';
import type { StaffSessionStore } from '../core/handoff/liveTakeover';
import { hashCost, hashPassword, verifyPassword } from './password';
import { COOKIE_NAME, readCookie, type SessionSigner, type StaffSession } from './session';

/** Failed logins allowed per login and per client address in the window, before 429. */
export const LOGIN_LIMITS = { perLogin: 5, perIp: 20, windowSeconds: 15 * 60 };
/** Presence is written at most this often per login and process (every API call would be a write otherwise). */
const PRESENCE_WRITE_MS = 30_000;

export type LoginResult =
  | { ok: true; token: string; session: StaffSession }
  | { ok: false; status: 401 }
  | { ok: false; status: 429; retryAfterSeconds: number };

export interface StaffAuthOptions {
  /** login (lower case) → scrypt hash, from STAFF_USERS. */
  users: Map<string, string>;
  signer: SessionSigner;
  sessions: StaffSessionStore;
  trustProxy: boolean;
}

/**
 * Who may use the console: passwords checked with scrypt in constant time, failed
 * attempts limited per login and per address, sessions in a signed cookie.
 */
export class StaffAuth {
  private readonly perLogin = new RateLimiterMemory({ keyPrefix: 'staff-login', points: LOGIN_LIMITS.perLogin, duration: LOGIN_LIMITS.windowSeconds });
  private readonly perIp = new RateLimiterMemory({ keyPrefix: 'staff-ip', points: LOGIN_LIMITS.perIp, duration: LOGIN_LIMITS.windowSeconds });
  private readonly presenceWritten = new Map<string, number>();
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly options: StaffAuthOptions) {}

  get signer(): SessionSigner {
    return this.options.signer;
  }

  async login(ip: string, rawLogin: string, password: string): Promise<LoginResult> {
    const login = rawLogin.trim().toLowerCase();
    const blocked = await this.blockedFor(ip, login);
    if (blocked) return { ok: false, status: 429, retryAfterSeconds: blocked };

    const hash = this.options.users.get(login);
    // An unknown login costs the same scrypt as a known one, so timing does not reveal which logins exist.
    const ok = await verifyPassword(password, hash ?? (await this.standIn()));
    if (!ok || !hash) {
      const limited = await this.countFailure(ip, login);
      return limited ? { ok: false, status: 429, retryAfterSeconds: limited } : { ok: false, status: 401 };
    }
    await this.perLogin.delete(login);
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

  /** Seconds to wait when the login or the address has used up its failures, else 0. */
  private async blockedFor(ip: string, login: string): Promise<number> {
    const [byLogin, byIp] = await Promise.all([this.perLogin.get(login), this.perIp.get(ip)]);
    const waits = [
      byLogin && byLogin.consumedPoints >= LOGIN_LIMITS.perLogin ? byLogin.msBeforeNext : 0,
      byIp && byIp.consumedPoints >= LOGIN_LIMITS.perIp ? byIp.msBeforeNext : 0,
    ];
    return Math.ceil(Math.max(...waits) / 1000);
  }

  private async countFailure(ip: string, login: string): Promise<number> {
    let wait = 0;
    for (const [limiter, key] of [[this.perLogin, login], [this.perIp, ip]] as const) {
      try {
        await limiter.consume(key);
      } catch (res) {
        wait = Math.max(wait, Math.ceil((res as RateLimiterRes).msBeforeNext / 1000));
      }
    }
    return wait;
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

  /** The client's address; behind a trusted proxy, the address the proxy saw (last X-Forwarded-For hop). */
  clientIp(req: restify.Request): string {
    if (this.options.trustProxy) {
      const forwarded = String(req.headers['x-forwarded-for'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const last = forwarded[forwarded.length - 1];
      if (last) return last;
    }
    return req.socket?.remoteAddress ?? 'unknown';
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
