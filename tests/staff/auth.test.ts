import type { StaffSessionStore } from '../../src/core/handoff/liveTakeover';
import { StaffAuth, type LoginLimits, type LoginResult } from '../../src/staff/auth';
import * as password from '../../src/staff/password';

// Password checks are counted and held with jest.spyOn, which needs a module whose exports can be
// redefined: the transform's CommonJS exports cannot, so the module is replaced by a plain copy.
jest.mock('../../src/staff/password', () => {
  const actual = jest.requireActual<typeof import('../../src/staff/password')>('../../src/staff/password');
  return { __esModule: true, ...actual };
});
import { SessionSigner } from '../../src/staff/session';
import type { Request } from 'restify';

/** StaffAuth alone, no server: scrypt checks are counted (and held, when a test needs them in flight) by spying on verifyPassword. */

const RIGHT = 'maria-right-passphrase';
let hash: string;
beforeAll(async () => {
  hash = await password.hashPassword(RIGHT, 1024);
});
afterEach(() => {
  jest.restoreAllMocks();
  jest.useRealTimers();
});

const sessions: StaffSessionStore = {
  seen: async () => undefined,
  anyoneSeenSince: async () => false,
  gone: async () => undefined,
  revoke: async () => undefined,
  isRevoked: async () => false,
};

function newAuth(limits: Partial<LoginLimits> = {}, trustProxy = false): StaffAuth {
  const users = new Map([
    ['maria', hash],
    ['devon', hash],
  ]);
  return new StaffAuth({ users, signer: new SessionSigner('s'.repeat(32), 3_600_000), sessions, trustProxy, limits });
}

/** Count the scrypt checks (they still run). */
const countChecks = () => jest.spyOn(password, 'verifyPassword');

/** Checks that wait until release(), then answer whether the password is the right one. */
function holdChecks() {
  const held: Array<() => void> = [];
  const spy = jest.spyOn(password, 'verifyPassword').mockImplementation((pw) => new Promise((resolve) => held.push(() => resolve(pw === RIGHT))));
  return { spy, release: () => held.splice(0).forEach((go) => go()) };
}

/** Let every promise that can settle, settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

const statuses = (results: LoginResult[]) => results.map((r) => (r.ok ? 200 : r.status));
const ip = (n: number) => `198.51.100.${n}`;

describe('staff login limits', () => {
  it('when 40 guesses for one login arrive at once from one address, then at most 5 are checked and the right one (the 40th) is refused', async () => {
    const checks = countChecks();
    const auth = newAuth({ maxConcurrentChecks: 100 }); // the reservation alone, not the concurrency cap, must stop them
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => auth.login(ip(1), 'maria', i === 39 ? RIGHT : `wrong-${i}`)));
    expect(checks).toHaveBeenCalledTimes(5);
    expect(statuses(results)).toEqual([...Array(5).fill(401), ...Array(35).fill(429)]);
  });

  it('when 40 guesses spread over ten logins arrive at once from one address, then at most 20 are checked', async () => {
    const checks = countChecks();
    const auth = newAuth({ maxConcurrentChecks: 100 });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => auth.login(ip(2), `nobody${i % 10}`, `wrong-${i}`)));
    expect(checks).toHaveBeenCalledTimes(20);
    expect(statuses(results).filter((s) => s === 429)).toHaveLength(20);
  });

  it('when 40 addresses guess one login at once, then five free failures and one more are checked, and the right one (the 40th) is refused', async () => {
    const checks = countChecks();
    const auth = newAuth({ maxConcurrentChecks: 100 });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => auth.login(ip(100 + i), 'maria', i === 39 ? RIGHT : `wrong-${i}`)));
    expect(checks).toHaveBeenCalledTimes(6);
    expect(results[39]).toMatchObject({ ok: false, status: 429 });
  });

  it('when more checks than the cap are asked for at once, then the extra one is answered 503 at once, and it costs its address nothing', async () => {
    const { spy, release } = holdChecks();
    const auth = newAuth({ maxConcurrentChecks: 2 });
    const first = [auth.login(ip(3), 'maria', RIGHT), auth.login(ip(4), 'devon', RIGHT)];
    let third: LoginResult | undefined;
    void auth.login(ip(5), 'maria', 'wrong').then((r) => (third = r));
    await settle();
    // Answered while the two checks are still running.
    expect(third).toEqual({ ok: false, status: 503, retryAfterSeconds: 1 });
    expect(spy).toHaveBeenCalledTimes(2);
    release();
    expect(statuses(await Promise.all(first))).toEqual([200, 200]);
    spy.mockImplementation(async (pw) => pw === RIGHT);
    // The refused attempt was refunded: the address still has all five guesses at devon.
    const after = [];
    for (let i = 0; i < 6; i++) after.push(await auth.login(ip(5), 'devon', `wrong-${i}`));
    expect(statuses(after)).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('when a check is in flight, then its guess is already spent; when it succeeds, then the guess comes back', async () => {
    const { release } = holdChecks();
    const auth = newAuth({ maxConcurrentChecks: 100 });
    const pending = Array.from({ length: 6 }, () => auth.login(ip(6), 'maria', RIGHT));
    const settled: Array<LoginResult | undefined> = Array(6).fill(undefined);
    pending.forEach((p, i) => void p.then((r) => (settled[i] = r)));
    await settle();
    // Five checks hold the address's five guesses; the sixth is refused before any check.
    expect(settled.slice(0, 5)).toEqual(Array(5).fill(undefined));
    expect(settled[5]).toMatchObject({ ok: false, status: 429 });
    release();
    expect(statuses(await Promise.all(pending.slice(0, 5)))).toEqual([200, 200, 200, 200, 200]);
    // Refunded: the same address may log in again at once.
    const again = auth.login(ip(6), 'maria', RIGHT);
    await settle();
    release();
    expect((await again).ok).toBe(true);
  });

  it("when a stranger fails five times at a login, then the right password from another address still works after a short wait, not 15 minutes", async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const auth = newAuth();
    for (let i = 0; i < 5; i++) expect(await auth.login(ip(7), 'maria', `wrong-${i}`)).toEqual({ ok: false, status: 401 });
    const first = await auth.login(ip(8), 'maria', RIGHT);
    if (!first.ok) {
      expect(first).toEqual({ ok: false, status: 429, retryAfterSeconds: 1 });
      jest.advanceTimersByTime(1000);
    }
    expect((await auth.login(ip(8), 'maria', RIGHT)).ok).toBe(true);
    // The stranger's own address is still out of guesses at that login.
    expect(await auth.login(ip(7), 'maria', RIGHT)).toMatchObject({ ok: false, status: 429 });
  });

  it('when failures at one login go on from ever new addresses, then each further attempt waits twice as long, up to the cap, answered 429 with Retry-After', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const checks = countChecks();
    const auth = newAuth({ maxDelaySeconds: 4 });
    let n = 10;
    for (let i = 0; i < 5; i++) expect((await auth.login(ip(n++), 'maria', 'wrong')).ok).toBe(false);
    const waits = [];
    for (let round = 0; round < 5; round++) {
      const refused = await auth.login(ip(n++), 'maria', 'wrong');
      expect(refused).toMatchObject({ ok: false, status: 429 });
      const wait = 'retryAfterSeconds' in refused ? refused.retryAfterSeconds : 0;
      waits.push(wait);
      jest.advanceTimersByTime(wait * 1000 - 1);
      expect(await auth.login(ip(n++), 'maria', 'wrong')).toMatchObject({ status: 429 }); // not a moment early
      jest.advanceTimersByTime(1);
      expect(await auth.login(ip(n++), 'maria', 'wrong')).toEqual({ ok: false, status: 401 });
    }
    expect(waits).toEqual([1, 2, 4, 4, 4]);
    expect(checks).toHaveBeenCalledTimes(10);
  });

  it('when a trusted proxy adds the client port to X-Forwarded-For (App Service does), then every connection from that client is one address', () => {
    const auth = newAuth({}, true);
    const req = (forwarded: string) => ({ headers: { 'x-forwarded-for': forwarded }, socket: { remoteAddress: '10.0.0.2' } }) as unknown as Request;
    expect(auth.clientIp(req('203.0.113.5:54321'))).toBe('203.0.113.5');
    expect(auth.clientIp(req('127.0.0.1, 203.0.113.5:54322'))).toBe('203.0.113.5');
  });
});
