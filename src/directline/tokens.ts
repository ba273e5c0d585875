import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Direct Line tokens: compact JWTs (HS256) signed with a server secret and bound to
 * one conversation and one user. They are JWTs so botframework-directlinejs can read
 * the `user` claim (it then refuses a client-chosen user id), as with Azure's tokens.
 */
export interface TokenClaims {
  /** The only conversation this token may read or post to. */
  conv: string;
  /** The visitor's user id; activities they post get this as from.id. */
  user: string;
  iat: number;
  exp: number;
}

export interface IssuedToken {
  conversationId: string;
  token: string;
  expires_in: number;
}

export type Verified = { ok: true; claims: TokenClaims } | { ok: false; status: 401 | 403; error: string };

const ISSUER = 'gbac-directline';
const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

const ClaimsSchema = z.object({
  iss: z.literal(ISSUER),
  conv: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  user: z.string().min(1).max(128),
  iat: z.number().int(),
  exp: z.number().int(),
});

function base64url(text: string | Buffer): string {
  return Buffer.from(text).toString('base64url');
}

/** A random id safe in URLs and paths (base64url, 128 bits). */
export function randomId(prefix = ''): string {
  return prefix + randomBytes(16).toString('base64url');
}

export class TokenService {
  private readonly key: Buffer;

  /**
   * @param secret DIRECTLINE_TOKEN_SECRET; without it a random key per process (tokens die with a restart).
   * @param ttlSeconds token lifetime.
   * @param now clock in ms (tests move it).
   */
  constructor(
    secret: string | undefined,
    readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.key = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  }

  issue(conversationId: string, userId: string): IssuedToken {
    const iat = Math.floor(this.now() / 1000);
    const payload = base64url(JSON.stringify({ iss: ISSUER, conv: conversationId, user: userId, iat, exp: iat + this.ttlSeconds }));
    const body = `${HEADER}.${payload}`;
    return { conversationId, token: `${body}.${this.sign(body)}`, expires_in: this.ttlSeconds };
  }

  /** Check signature first (401 when forged or malformed), then expiry (403, which Web Chat reads as "expired"). */
  verify(token: string | undefined): Verified {
    if (!token) return { ok: false, status: 401, error: 'token required' };
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return { ok: false, status: 401, error: 'invalid token' };
    const [header, payload, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, status: 401, error: 'invalid token' };
    let claims: TokenClaims;
    try {
      const parsed = ClaimsSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
      if (!parsed.success) return { ok: false, status: 401, error: 'invalid token' };
      claims = parsed.data;
    } catch {
      return { ok: false, status: 401, error: 'invalid token' };
    }
    if (claims.exp * 1000 <= this.now()) return { ok: false, status: 403, error: 'token expired' };
    return { ok: true, claims };
  }

  /** A stable secret derived from the key, for the connector routes' path (see connectorRoutes.ts). */
  derive(purpose: string): string {
    return createHmac('sha256', this.key).update(`derive:${purpose}`).digest('base64url').slice(0, 32);
  }

  private sign(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}

/** The token from an `Authorization: Bearer …` header. */
export function bearer(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
  return match?.[1];
}
