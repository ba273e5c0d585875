import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** What the signed cookie carries: who, which session (for logout), and until when. */
export interface StaffSession {
  login: string;
  sid: string;
  /** Milliseconds since the epoch. */
  exp: number;
}

const PayloadSchema = z.strictObject({ login: z.string().min(1).max(64), sid: z.string().min(16).max(64), exp: z.number().int() });

/**
 * Stateless, HMAC-SHA256-signed session tokens: "payload.signature", both base64url.
 * Any instance with the same secret can check them; logout is recorded in the
 * shared StaffSessionStore so a logged-out token stays refused.
 */
export class SessionSigner {
  private readonly secret: Buffer;

  constructor(secret: string | undefined, readonly lifetimeMs: number) {
    // No secret configured: a random one, so sessions end with the process (documented in .env.example).
    this.secret = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  }

  issue(login: string, now = Date.now()): { token: string; session: StaffSession } {
    const session: StaffSession = { login, sid: randomBytes(16).toString('base64url'), exp: now + this.lifetimeMs };
    const payload = Buffer.from(JSON.stringify(session)).toString('base64url');
    return { token: `${payload}.${this.sign(payload)}`, session };
  }

  /** The session, or undefined when the token is malformed, forged or expired. */
  verify(token: string | undefined, now = Date.now()): StaffSession | undefined {
    if (!token || token.length > 1024) return undefined;
    const dot = token.indexOf('.');
    if (dot <= 0) return undefined;
    const payload = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.sign(payload), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const parsed = PayloadSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
      if (!parsed.success || parsed.data.exp <= now) return undefined;
      return parsed.data;
    } catch {
      return undefined;
    }
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

export const COOKIE_NAME = 'gbac_staff';

/** Read one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** HttpOnly (no script reads it), SameSite=Strict (no cross-site sends), Secure over https, scoped to /staff. */
export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return `${COOKIE_NAME}=${token}; Path=/staff; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

export function clearedCookie(secure: boolean): string {
  return `${COOKIE_NAME}=; Path=/staff; Max-Age=0; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}
