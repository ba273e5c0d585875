import { randomBytes } from 'node:crypto';

/** Unambiguous when read over the phone: no 0/O, 1/I/L. */
const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** The short reference a visitor is given ("GB-7K2Q9X"); every store uses the same format. */
export function newReference(): string {
  const bytes = randomBytes(6);
  let out = 'GB-';
  for (const b of bytes) out += REFERENCE_ALPHABET[b % REFERENCE_ALPHABET.length];
  return out;
}
