import type { App } from '../../src/app';
import * as password from '../../src/staff/password';

// Password checks are counted and held with jest.spyOn, which needs a module whose exports can be
// redefined: the transform's CommonJS exports cannot, so the module is replaced by a plain copy.
jest.mock('../../src/staff/password', () => {
  const actual = jest.requireActual<typeof import('../../src/staff/password')>('../../src/staff/password');
  return { __esModule: true, ...actual };
});
import { startApp } from '../helpers/app';
import { call, login, newRequest, PASSWORDS, startStaffApp, START_TIMEOUT } from './helpers';

describe('staff console: off by default', () => {
  let app: App;
  let url: string;
  beforeAll(async () => ({ app, url } = await startApp()), START_TIMEOUT);
  afterAll(() => app?.close());

  it.each([
    ['GET', '/staff'],
    ['GET', '/staff/console.js'],
    ['POST', '/staff/login'],
    ['GET', '/staff/api/me'],
    ['GET', '/staff/api/requests'],
  ])('when STAFF_USERS is unset, then %s %s is a 404', async (method, path) => {
    const res = await call(url, method, path, { body: { login: 'maria', password: PASSWORDS.maria } });
    expect(res.status).toBe(404);
  });

  it('when STAFF_USERS is unset, then no one is online for live chat', async () => {
    await expect(app.staffOnline()).resolves.toBe(false);
  });
});

describe('staff console: login, session and page', () => {
  let app: App;
  let url: string;
  beforeAll(async () => ({ app, url } = await startStaffApp()), START_TIMEOUT);
  afterAll(() => app?.close());

  it('when a staff member logs in with the right password, then the cookie is HttpOnly, SameSite=Strict, scoped to /staff, and /me names them', async () => {
    const res = await call(url, 'POST', '/staff/login', { body: { login: 'Maria', password: PASSWORDS.maria } });
    expect(res.status).toBe(200);
    expect(res.body.login).toBe('maria');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^gbac_staff=[^;]+/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/staff');
    expect(cookie).toMatch(/Max-Age=28800/);
    expect(cookie).not.toContain('Secure');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const me = await call(url, 'GET', '/staff/api/me', { cookie: cookie.split(';')[0] });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ login: 'maria', liveChat: false });
  });

  it('when the console is reached over https (at the proxy), then the cookie is also Secure', async () => {
    const res = await call(url, 'POST', '/staff/login', { body: { login: 'devon', password: PASSWORDS.devon }, headers: { 'x-forwarded-proto': 'https' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it.each([
    ['a wrong password', { login: 'maria', password: 'not-her-password' }],
    ['an unknown login', { login: 'nobody', password: 'whatever-password' }],
  ])('when someone logs in with %s, then it is a 401 with no cookie', async (_name, body) => {
    const res = await call(url, 'POST', '/staff/login', { body });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'wrong login or password' });
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it.each([
    ['no password', { login: 'maria' }],
    ['an extra field', { login: 'maria', password: 'x', admin: true }],
    ['a number as login', { login: 5, password: 'x' }],
    ['malformed JSON', '{"login":'],
  ])('when the login body has %s, then it is a 400 JSON error', async (_name, body) => {
    const res = await call(url, 'POST', '/staff/login', { body });
    expect(res.status).toBe(400);
    expect(typeof res.body.error).toBe('string');
  });

  it('when a login has failed five times, then further attempts are refused with 429, even with the right password', async () => {
    for (let i = 0; i < 6; i++) {
      const res = await call(url, 'POST', '/staff/login', { body: { login: 'rate', password: `wrong-${i}` } });
      expect(res.status).toBe(i < 5 ? 401 : 429);
    }
    const right = await call(url, 'POST', '/staff/login', { body: { login: 'rate', password: PASSWORDS.rate } });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    // Other logins from the same address still work.
    expect((await call(url, 'POST', '/staff/login', { body: { login: 'devon', password: PASSWORDS.devon } })).status).toBe(200);
  });

  it('when more logins arrive than the server checks at once, then the extra one gets 503 with Retry-After at once', async () => {
    const held: Array<() => void> = [];
    const checks = jest.spyOn(password, 'verifyPassword').mockImplementation(() => new Promise((resolve) => held.push(() => resolve(false))));
    try {
      const busy = ['held-one', 'held-two'].map((who) => call(url, 'POST', '/staff/login', { body: { login: who, password: 'whatever-password' } }));
      while (checks.mock.calls.length < 2) await new Promise((resolve) => setImmediate(resolve));
      const extra = await call(url, 'POST', '/staff/login', { body: { login: 'held-three', password: 'whatever-password' } });
      expect(extra.status).toBe(503);
      expect(extra.headers.get('retry-after')).toBe('1');
      expect(extra.body).toMatchObject({ error: expect.any(String), retryAfterSeconds: 1 });
      held.splice(0).forEach((go) => go());
      expect((await Promise.all(busy)).map((r) => r.status)).toEqual([401, 401]);
    } finally {
      held.splice(0).forEach((go) => go());
      checks.mockRestore();
    }
  });

  it('when the session cookie is tampered with, then the API answers 401', async () => {
    const cookie = await login(url, 'maria');
    const [name, value] = cookie.split('=') as [string, string];
    const [payload, sig] = value.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), login: 'devon' })).toString('base64url');
    expect((await call(url, 'GET', '/staff/api/me', { cookie: `${name}=${forged}.${sig}` })).status).toBe(401);
  });

  it('when a staff member logs out, then the cookie is cleared and the old session is refused', async () => {
    const cookie = await login(url, 'maria');
    const out = await call(url, 'POST', '/staff/api/logout', { cookie });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await call(url, 'GET', '/staff/api/me', { cookie })).status).toBe(401);
  });

  it('when a state-changing call is not JSON, then it is refused (CSRF guard) and nothing changes', async () => {
    const cookie = await login(url, 'maria');
    const r = await app.handoffs.create(newRequest('http://127.0.0.1:1/', 'csrf-1'));
    const form = await call(url, 'POST', `/staff/api/requests/${r.id}/claim`, { cookie, body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    const crossSite = await call(url, 'POST', `/staff/api/requests/${r.id}/claim`, { cookie, headers: { origin: 'https://evil.example' } });
    expect(crossSite.status).toBe(403);
    expect((await app.handoffs.store.get(r.id))?.status).toBe('open');
  });

  it('when any /staff/api route is called without a session, then it answers 401 JSON', async () => {
    const routes = Object.values(app.server.getDebugInfo().routes as Array<{ method: string; path: string }>).filter((r) => String(r.path).startsWith('/staff/api'));
    expect(routes.length).toBeGreaterThanOrEqual(13);
    for (const route of routes) {
      const path = String(route.path).replace(':id', '00000000-0000-4000-8000-000000000000');
      const res = await call(url, route.method.toUpperCase(), path, { body: { note: 'x', text: 'x' } });
      expect({ route: `${route.method} ${route.path}`, status: res.status, body: res.body }).toEqual({ route: `${route.method} ${route.path}`, status: 401, body: { error: 'login required' } });
    }
  });

  it('when the page is loaded, then it is served with a strict CSP, no-store, and names no other origin', async () => {
    const page = await fetch(`${url}/staff`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toMatch(/<html lang="en">/);
    expect(html).toContain('<script src="/staff/console.js" defer></script>');
    expect(html).not.toMatch(/<script>|<style|\son[a-z]+=/i); // nothing inline
    for (const id of ['login', 'password', 'note', 'message']) expect(html).toContain(`<label for="${id}">`);
    const assets = await Promise.all(['/staff/console.js', '/staff/console.css'].map((p) => fetch(`${url}${p}`)));
    const texts = [html, ...(await Promise.all(assets.map((a) => a.text())))];
    for (const text of texts) expect(text).not.toMatch(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    expect(assets[0]!.headers.get('content-type')).toMatch(/javascript/);
    expect(texts[1]).not.toContain('innerHTML');
  });
});
