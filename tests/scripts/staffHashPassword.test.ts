import { Readable, Writable } from 'node:stream';
import { hashFromPipe } from '../../scripts/staff-hash-password';
import { parseStaffUsers, verifyPassword } from '../../src/staff/password';
import { loadConfig } from '../../src/config';

function collector(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return Object.assign(stream, { text: () => chunks.join('') });
}

describe('npm run staff:hash-password', () => {
  it('when a password is piped in, then it prints a hash that STAFF_USERS accepts and that verifies, and never the password', async () => {
    const out = collector();
    const err = collector();
    const code = await hashFromPipe(Readable.from(['correct horse battery staple\n']), out, err);
    expect(code).toBe(0);
    const hash = out.text().trim();
    expect(out.text()).not.toContain('correct horse');
    await expect(verifyPassword('correct horse battery staple', hash)).resolves.toBe(true);
    const config = loadConfig({ STAFF_USERS: `maria:${hash}` });
    expect(parseStaffUsers(config.STAFF_USERS).get('maria')).toBe(hash);
  });

  it('when the password is too short, then nothing is printed and it exits 1', async () => {
    const out = collector();
    const err = collector();
    expect(await hashFromPipe(Readable.from(['short\n']), out, err)).toBe(1);
    expect(out.text()).toBe('');
    expect(err.text()).toMatch(/at least 12 characters/);
  });
});
