import type { App } from '../../src/app';
import { CONSOLE_CSP } from '../../src/staff/page';
import { call, login, makeReportConversations, REPORT_SECRETS, startStaffApp, START_TIMEOUT } from './helpers';

describe('staff API: reports', () => {
  let app: App;
  let url: string;
  let maria: string;
  beforeAll(async () => {
    ({ app, url } = await startStaffApp());
    maria = await login(url, 'maria');
  }, START_TIMEOUT);
  afterAll(() => app?.close());

  it('when no session is sent, then the reports are refused with 401', async () => {
    const res = await call(url, 'GET', '/staff/api/reports');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'login required' });
    expect((await call(url, 'GET', '/staff/api/reports?from=2025-01-01', { cookie: 'gbac_staff=forged.token' })).status).toBe(401);
  });

  it.each([
    ['from=2025-02-30', 'from: must be a date written YYYY-MM-DD'],
    ['from=yesterday', 'from: must be a date written YYYY-MM-DD'],
    ['to=2025-1-5', 'to: must be a date written YYYY-MM-DD'],
    ['from=2025-03-05&to=2025-03-01', 'from: must not be after to (2025-03-05 is after 2025-03-01)'],
    ['from=2024-01-01&to=2025-01-01', 'to: the period is 367 days; a report covers at most 366 days (a year)'],
  ])('when the period is %s, then it is refused with 400 and says why', async (query, error) => {
    const res = await call(url, 'GET', `/staff/api/reports?${query}`, { cookie: maria });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error });
  });

  it('when the Reports page is loaded, then it and Chart.js come from the bot itself, under the console\'s strict CSP, with nothing inline', async () => {
    const page = await fetch(`${url}/staff/reports`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('<script src="/staff/vendor/chart.umd.js" defer></script>');
    expect(html).toContain('<script src="/staff/reports.js" defer></script>');
    expect(html).toContain('<a href="/staff">Queue</a>');
    expect(html).not.toMatch(/<script>|<style|\sstyle=|\son[a-z]+=/i);
    const own = await Promise.all(['/staff/reports.js', '/staff/reports.css'].map(async (p) => (await fetch(`${url}${p}`)).text()));
    for (const text of [html, ...own]) expect(text).not.toMatch(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    expect(own[0]).not.toContain('innerHTML');
    const chartJs = await fetch(`${url}/staff/vendor/chart.umd.js`);
    expect(chartJs.status).toBe(200);
    expect(chartJs.headers.get('content-type')).toMatch(/javascript/);
    expect(await chartJs.text()).toMatch(/Chart\.js v4\./);
    // The queue links to Reports.
    expect(await (await fetch(`${url}/staff`)).text()).toContain('href="/staff/reports"');
  });

  it('when the period is a whole leap year, then every one of its 366 days is reported', async () => {
    const res = await call(url, 'GET', '/staff/api/reports?from=2024-01-01&to=2024-12-31', { cookie: maria });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.days).toHaveLength(366);
    expect(res.body.total.conversations).toBe(0);
  });

  it('when visitors talk to the bot and staff work the request, then the report counts each event and carries no message text or phone number', async () => {
    const { requestReference } = await makeReportConversations(url);
    const request = (await app.handoffs.store.listActive()).find((r) => r.reference === requestReference)!;
    expect((await call(url, 'POST', `/staff/api/requests/${request.id}/claim`, { cookie: maria })).status).toBe(200);
    expect((await call(url, 'POST', `/staff/api/requests/${request.id}/resolve`, { cookie: maria })).status).toBe(200);

    // No period given: the last 30 days, today included (in METRICS_TIME_ZONE).
    const res = await call(url, 'GET', '/staff/api/reports', { cookie: maria });
    expect(res.status).toBe(200);
    const report = res.body;
    const today = app.stores.metrics.today();
    expect(report).toMatchObject({ to: today, timeZone: 'America/New_York' });
    expect(report.days).toHaveLength(30);
    expect(report.total).toEqual({
      conversations: 6,
      answers: { answered: 1, didYouMean: 1, declined: 1, dontKnow: 1 },
      screenings: { started: 1, completed: 1, completedByLevel: { detox: 1 } },
      handoffsByReason: { 'asked-for-person': 1 },
      minutesToClaim: { count: 1, median: 0, p90: 0 },
      minutesToResolve: { count: 1, median: 0, p90: 0 },
      crisisRepliesByTier: { suicide: 1 },
      smsOptOuts: 1,
    });
    expect(report.days.at(-1)).toEqual({ day: today, ...report.total });
    // The off-topic question is in the unanswered log: the report gives its group's count and closest entry, never its words.
    expect(report.unanswered).toMatchObject({ enabled: true, keptDays: 30 });
    expect(report.unanswered.groups.length).toBeGreaterThanOrEqual(1);
    for (const g of report.unanswered.groups) expect(Object.keys(g).sort()).toEqual(['closestEntry', 'count']);

    const json = JSON.stringify(report);
    for (const secret of REPORT_SECRETS) expect(json).not.toContain(secret);
    expect(json).not.toContain(request.id);
    expect(json).not.toContain(requestReference);
  });
});
