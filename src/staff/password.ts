import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** Node's scrypt, promisified by hand (util.promisify loses the options overload). */
function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** scrypt cost N=2^15, r=8, p=1: 32 MiB and well under a second per login on a small host; stored in the hash, so it can be raised later. */
const N = 32768;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const maxmem = 256 * 1024 * 1024;

/**
 * "scrypt.N.r.p.salt.key" with base64url parts: no ':' (the STAFF_USERS separator),
 * no '$' (shell and .env expansion), no ',' (the entry separator).
 */
export async function hashPassword(password: string, cost: number = N): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N: cost, r: R, p: P, maxmem });
  return `scrypt.${cost}.${R}.${P}.${salt.toString('base64url')}.${key.toString('base64url')}`;
}

/** Constant-time comparison; a malformed hash is simply "no". */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('.');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![n, r, p].every((x) => Number.isInteger(x) && x > 0) || n > 1 << 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (salt.length < 8 || expected.length < 16) return false;
  try {
    const key = await scrypt(password.normalize('NFC'), salt, expected.length, { N: n, r, p, maxmem });
    return timingSafeEqual(key, expected);
  } catch {
    return false;
  }
}

/** Parse STAFF_USERS ("login:hash,login:hash") into login → hash; logins are case-insensitive. */
export function parseStaffUsers(value: string | undefined): Map<string, string> {
  const users = new Map<string, string>();
  for (const entry of (value ?? '').split(',')) {
    const at = entry.indexOf(':');
    if (at <= 0) continue;
    users.set(entry.slice(0, at).trim().toLowerCase(), entry.slice(at + 1).trim());
  }
  return users;
}

/** The scrypt N of a hash (so a stand-in hash for unknown logins costs the same as the real ones). */
export function hashCost(encoded: string | undefined): number {
  const n = Number(encoded?.split('.')[1]);
  return Number.isInteger(n) && n > 1 && n <= 1 << 20 ? n : N;
}
