import type { Page } from 'playwright-core';
import { artifactPath } from '../helpers/browser';
import { makeReportConversations } from '../staff/helpers';
import { useStaffConsole } from './staffConsole';

// A real browser, the real service: the admissions director logs in at /staff and opens Reports.
jest.setTimeout(60_000);

describe('the staff Reports page, after a few real conversations', () => {
  const staff = useStaffConsole(async (app, url) => {
    const { requestReference } = await makeReportConversations(url);
    const request = (await app.handoffs.store.listActive()).find((r) => r.reference === requestReference)!;
    await app.handoffs.claim(request.id, 'maria');
    await app.handoffs.resolve(request.id, 'maria');
  });
  /** What the page complained of: script errors, refused loads (the Content-Security-Policy). */
  let problems: string[] = [];

  /** Logged in at the queue, then Reports by its link. */
  async function openReports(viewport: { width: number; height: number }): Promise<Page> {
    problems = [];
    const page = await staff.logIn(viewport, async (p) => {
      p.on('pageerror', (err) => problems.push(err.message));
      p.on('console', (m) => {
        // The browser asks for /favicon.ico on its own; the queue's check for a session (401) comes before login.
        if (m.type() === 'error' && !/favicon|\/staff\/api\/me/.test(m.location().url)) problems.push(`${m.text()} ${m.location().url}`);
      });
    });
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL(`${staff.url()}/staff/reports`);
    await page.locator('#report').waitFor();
    return page;
  }

  /** Each canvas: drawn by a Chart instance, and of some size on screen. */
  const canvases = (page: Page) =>
    page.evaluate(() =>
      Array.from(document.querySelectorAll('canvas')).map((c) => {
        const box = c.getBoundingClientRect();
        const w = window as unknown as { Chart: { getChart(c: HTMLCanvasElement): unknown } };
        return { chart: Boolean(w.Chart.getChart(c)), width: Math.round(box.width), height: Math.round(box.height) };
      }),
    );

  /** Eight charts, each drawn by a Chart.js instance on a canvas of some size within the screen. */
  async function expectChartsDrawn(page: Page, width: { minWidth: number; maxWidth: number }): Promise<void> {
    const drawn = await canvases(page);
    expect(drawn).toHaveLength(8);
    for (const c of drawn) {
      expect(c.chart).toBe(true);
      expect(c.width).toBeGreaterThan(width.minWidth);
      expect(c.width).toBeLessThanOrEqual(width.maxWidth);
      expect(c.height).toBeGreaterThan(100);
    }
  }

  /** A chart's table view: the total row, or one row by its heading. */
  const cells = (page: Page, chart: string, rowHeading = 'Total') =>
    page.locator(`#chart-${chart} table tr`).filter({ has: page.locator('th', { hasText: new RegExp(`^${rowHeading}$`) }) }).locator('td').allTextContents();

  it('when the director opens Reports, then charts are drawn and their tables give the numbers of the test\'s own conversations', async () => {
    const page = await openReports({ width: 1280, height: 800 });
    await expectChartsDrawn(page, { minWidth: 300, maxWidth: 1280 });
    // The default period: the last 30 days, today included.
    const today = staff.app().stores.metrics.today();
    await expect(page.locator('#to').inputValue()).resolves.toBe(today);
    await expect(page.locator('#chart-conversations tbody tr').count()).resolves.toBe(30);
    expect(await cells(page, 'conversations', today)).toEqual(['6']);
    expect(await cells(page, 'conversations')).toEqual(['6']);
    expect(await cells(page, 'answers')).toEqual(['1', '1', '1', '1']);
    expect(await cells(page, 'screenings')).toEqual(['1', '1']);
    expect(await cells(page, 'levels', 'Detox')).toEqual(['1']);
    expect(await cells(page, 'handoffs')).toEqual(['1']);
    await expect(page.locator('#chart-handoffs thead th').allTextContents()).resolves.toEqual(['Day', 'Asked for a person']);
    expect(await cells(page, 'times')).toEqual(['0 min', '0 min', '0 min', '0 min']);
    expect(await cells(page, 'crisis')).toEqual(['1']);
    await expect(page.locator('#chart-crisis thead th').allTextContents()).resolves.toEqual(['Day', 'Suicide']);
    expect(await cells(page, 'sms')).toEqual(['1']);
    // Each table has its caption, for screen readers.
    await expect(page.locator('#charts table caption').count()).resolves.toBe(8);
    // The unanswered groups: counts and the closest entry, never the question.
    await expect(page.locator('#unanswered tbody tr').count()).resolves.toBeGreaterThanOrEqual(1);
    await expect(page.locator('body').textContent()).resolves.not.toContain('poem');
    expect(problems).toEqual([]);
    await page.locator('#chart-answers summary').click();
    await page.screenshot({ path: artifactPath('staff-reports-desktop-1280x800.png'), fullPage: true });
  });

  it('when Reports is opened on a 360 x 740 phone, then the charts fit the screen and nothing scrolls sideways', async () => {
    const page = await openReports({ width: 360, height: 740 });
    await expectChartsDrawn(page, { minWidth: 200, maxWidth: 360 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(problems).toEqual([]);
    await page.locator('#chart-answers').scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('staff-reports-phone-360x740.png') });
  });

  it('when a period without conversations is chosen, then the page says so instead of drawing empty charts', async () => {
    const page = await openReports({ width: 1280, height: 800 });
    await page.locator('#from').fill('2020-01-01');
    await page.locator('#to').fill('2020-01-31');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByText('No conversations in this period.').waitFor();
    await expect(page.locator('#report').isHidden()).resolves.toBe(true);
    await expect(page.locator('canvas').count()).resolves.toBe(0);
  });
});
