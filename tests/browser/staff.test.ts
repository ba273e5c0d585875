import type { Page } from 'playwright-core';
import { artifactPath } from '../helpers/browser';
import { newRequest } from '../staff/helpers';
import { useStaffConsole } from './staffConsole';

// A real browser, the real service: an admissions staff member logs in at /staff and reads the queue.
jest.setTimeout(60_000);

const SERVICE = 'http://127.0.0.1:1/';

/** The page's clock runs `minutes` ahead (Date.now only), so waiting times are known; the 15 s refresh runs every 300 ms. */
async function shiftClock(page: Page, minutes: number): Promise<void> {
  await page.addInitScript((ms: number) => {
    const realNow = Date.now.bind(Date);
    Date.now = () => realNow() + ms;
    const realSetInterval = window.setInterval.bind(window);
    window.setInterval = ((fn: TimerHandler, delay?: number, ...rest: unknown[]) => realSetInterval(fn, delay === 15000 ? 300 : delay, ...rest)) as typeof window.setInterval;
  }, minutes * 60_000);
}

describe('the staff console queue, as admissions staff use it', () => {
  const staff = useStaffConsole();

  const openConsole = (viewport: { width: number; height: number }, minutesAhead: number): Promise<Page> => staff.logIn(viewport, (page) => shiftClock(page, minutesAhead));

  const row = (page: Page, id: string) => page.locator(`#queue-body tr[data-id="${id}"]`);

  it('when a request waits, then its queue row shows the name, a tel: link with the number as people read it, the best time, channel, preferences, who claimed it and how long it has waited', async () => {
    const r = await staff.app().handoffs.create(
      newRequest(SERVICE, 'browser-row-1', { name: 'Rosa', phone: '+16175550142', bestTime: 'after 5pm', channel: 'sms', contactPreferences: ['no-voicemail'] }),
    );
    await staff.app().handoffs.claim(r.id, 'devon');
    const page = await openConsole({ width: 1280, height: 800 }, 12.5);
    const tr = row(page, r.id);
    await tr.waitFor();
    await expect(tr.locator('td[data-label="Name"]').textContent()).resolves.toBe('Rosa');
    const link = tr.getByRole('link', { name: /\(617\) 555-0142/ });
    await expect(link.getAttribute('href')).resolves.toBe('tel:+16175550142');
    await expect(link.textContent()).resolves.toBe('(617) 555-0142');
    await expect(tr.locator('td[data-label="Best time"]').textContent()).resolves.toBe('after 5pm');
    await expect(tr.locator('td[data-label="Channel"]').textContent()).resolves.toBe('SMS');
    await expect(tr.locator('td[data-label="Contact preferences"]').textContent()).resolves.toMatch(/voicemail/i);
    await expect(tr.locator('td[data-label="Status"]').textContent()).resolves.toBe('claimed by devon');
    await expect(tr.locator('td[data-label="Waiting"]').textContent()).resolves.toBe('12 min');
  });

  it('when the queue refreshes on its own, then the scroll position and the focused row stay where they were', async () => {
    const made = [];
    for (let i = 0; i < 25; i++) made.push(await staff.app().handoffs.create(newRequest(SERVICE, `browser-scroll-${i}`, { name: `Visitor${i}` })));
    const page = await openConsole({ width: 1280, height: 600 }, 0);
    const target = made[12]!;
    await row(page, target.id).getByRole('button', { name: 'Open' }).focus();
    await page.evaluate(() => window.scrollTo(0, 700));
    const before = await page.evaluate(() => window.scrollY);
    expect(before).toBeGreaterThan(0);
    // A new request arrives; the refresh draws it (at the end: the oldest come first).
    const late = await staff.app().handoffs.create(newRequest(SERVICE, 'browser-scroll-late', { name: 'Latecomer' }));
    await row(page, late.id).waitFor({ state: 'attached' });
    await expect(page.evaluate(() => window.scrollY)).resolves.toBe(before);
    await expect(page.evaluate(() => (document.activeElement?.closest('tr') as HTMLElement | null)?.dataset.id)).resolves.toBe(target.id);
  });

  it('when the console is on a 360 x 740 phone, then each request is a card with a big tel: link and a waiting time in hours, and nothing scrolls sideways', async () => {
    const r = await staff.app().handoffs.create(newRequest(SERVICE, 'browser-phone-1', { name: 'Jordan', phone: '+16175550199', priority: 'crisis', reason: 'crisis-follow-up' }));
    const page = await openConsole({ width: 360, height: 740 }, 125.5);
    const tr = row(page, r.id);
    await tr.waitFor();
    // Crisis first.
    await expect(page.locator('#queue-body tr').first().getAttribute('data-id')).resolves.toBe(r.id);
    await expect(tr.locator('td[data-label="Waiting"]').textContent()).resolves.toBe('2 h 5 min');
    const box = await tr.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(360);
    const link = await tr.getByRole('link', { name: /\(617\) 555-0199/ }).boundingBox();
    expect(link!.height).toBeGreaterThanOrEqual(44);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: artifactPath('staff-queue-phone-360x740.png') });
  });
});
