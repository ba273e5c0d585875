import { loadConfig } from '../../src/config';
import { hashCost, hashPassword, parseStaffUsers, verifyPassword } from '../../src/staff/password';
import { SessionSigner, readCookie } from '../../src/staff/session';

describe('staff passwords', () => {
  it('when a password is hashed, then only that password verifies and the hash has no STAFF_USERS separators', async () => {
    const hash = await hashPassword('a long passphrase here', 1024);
    expect(hash).toMatch(/^scrypt\.1024\.8\.1\.[\w-]+\.[\w-]+$/);
    await expect(verifyPassword('a long passphrase here', hash)).resolves.toBe(true);
    await expect(verifyPassword('a long passphrase herE', hash)).resolves.toBe(false);
    expect(hashCost(hash)).toBe(1024);
  });

  it('when the same password is hashed twice, then the salts differ', async () => {
    expect(await hashPassword('same password here', 1024)).not.toBe(await hashPassword('same password here', 1024));
  });

  it.each(['', 'plain', 'scrypt.1024.8.1.abc', 'scrypt.99999999.8.1.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'bcrypt.1.2.3.4.5'])(
    'when the stored hash is malformed (%p), then nothing verifies',
    async (bad) => {
      await expect(verifyPassword('anything', bad)).resolves.toBe(false);
    },
  );

  it('when STAFF_USERS lists logins, then they are read case-insensitively', () => {
    expect([...parseStaffUsers('Maria:scrypt.a, devon:scrypt.b').entries()]).toEqual([
      ['maria', 'scrypt.a'],
      ['devon', 'scrypt.b'],
    ]);
  });

  it('when STAFF_USERS is malformed, then start-up stops with one line naming it and not echoing it', async () => {
    const good = await hashPassword('a long passphrase here', 1024);
    expect(() => loadConfig({ STAFF_USERS: 'maria:plaintext-password' })).toThrow(/^Configuration error: STAFF_USERS must be comma-separated login:hash entries[^"]*$/);
    expect(() => loadConfig({ STAFF_USERS: `maria:${good},MARIA:${good}` })).toThrow(/STAFF_USERS/);
    expect(loadConfig({ STAFF_USERS: `maria:${good}` }).STAFF_USERS).toBe(`maria:${good}`);
  });

  it('when STAFF_SESSION_SECRET is short, then start-up stops naming it', () => {
    expect(() => loadConfig({ STAFF_SESSION_SECRET: 'short' })).toThrow(/^Configuration error: STAFF_SESSION_SECRET must be at least 32 characters$/);
  });
});

describe('staff sessions', () => {
  it('when a token is issued, then it verifies until it expires, and only with the same secret', () => {
    const signer = new SessionSigner('s'.repeat(32), 1000);
    const { token, session } = signer.issue('maria', 10_000);
    expect(signer.verify(token, 10_500)).toEqual(session);
    expect(signer.verify(token, 11_000)).toBeUndefined();
    expect(new SessionSigner('t'.repeat(32), 1000).verify(token, 10_500)).toBeUndefined();
    expect(new SessionSigner(undefined, 1000).verify(token, 10_500)).toBeUndefined();
  });

  it.each(['', 'abc', 'a.b', '.', `${'x'.repeat(2000)}.y`])('when the token is garbage (%p), then it does not verify', (token) => {
    expect(new SessionSigner('s'.repeat(32), 1000).verify(token)).toBeUndefined();
  });

  it('when a Cookie header has several cookies, then the session cookie is found', () => {
    expect(readCookie('a=1; gbac_staff=tok.en; b=2', 'gbac_staff')).toBe('tok.en');
    expect(readCookie('a=1', 'gbac_staff')).toBeUndefined();
  });
});
