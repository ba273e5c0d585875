import type { Locator, Page } from 'playwright-core';
import * as path from 'node:path';
import { knowledgeDir } from '../../src/core/knowledge/load';
import { Screening } from '../../src/core/screening/screening';
import { HIDDEN_TEXT } from '../../src/core/storage/unansweredReview';
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

  /** An element's box; the refresh (every 300 ms here) redraws the rows, and a row caught while being replaced has none: measure again. */
  async function boxOf(locator: Locator): Promise<{ width: number; height: number }> {
    for (let i = 0; i < 50; i++) {
      const box = await locator.boundingBox();
      if (box) return box;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('no bounding box');
  }

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
    expect((await boxOf(tr)).width).toBeLessThanOrEqual(360);
    expect((await boxOf(tr.getByRole('link', { name: /\(617\) 555-0199/ }))).height).toBeGreaterThanOrEqual(44);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: artifactPath('staff-queue-phone-360x740.png') });
  });

  const screening = Screening.fromFile(path.join(knowledgeDir(), 'screening.yaml'));

  it.each([
    ['desktop', { width: 1280, height: 900 }, 'staff-request-desktop.png'],
    ['360 x 740 phone', { width: 360, height: 740 }, 'staff-request-phone-360x740.png'],
  ])('when staff open a request on a %s, then they read the screening summed up for them and that the callback is in Spanish', async (_device, viewport, shot) => {
    const result = screening.result(
      { substances: 'alcohol', frequency: 'daily', withdrawal: 'no', 'recent-care': 'no', 'tried-before': 'outpatient-not-enough', cravings: 'sometimes', 'daily-life': 'some', 'mental-health': 'no', home: 'yes', schedule: 'evening' },
      new Date(),
      new Date(),
      true,
    );
    const r = await staff.app().handoffs.create(
      newRequest(SERVICE, `browser-summary-${viewport.width}`, { name: 'Marisol', language: 'es', screening: result, reason: 'screening-completed', bestTime: 'mornings' }),
    );
    const page = await openConsole(viewport, 0);
    const tr = row(page, r.id);
    await tr.waitFor();
    await expect(tr.locator('td[data-label="Language"]').textContent()).resolves.toBe('Español / Spanish callback');
    await tr.getByRole('button', { name: `Open request ${r.reference}` }).click();
    const summary = page.locator('#staff-summary');
    await summary.waitFor();
    await expect(summary.locator('.suggested').textContent()).resolves.toBe('Suggested: IOP');
    await expect(summary.locator('.answered-by').textContent()).resolves.toBe('Answered for someone else');
    const because = await summary.locator('#summary-because li').allTextContents();
    expect(because).toEqual(expect.arrayContaining(['uses every day or almost', "weekly therapy or outpatient wasn't enough"]));
    await expect(summary.locator('#summary-also li').allTextContents()).resolves.toContain('alcohol is the main substance');
    // Written for staff: the visitor's own wording ("they're using…", "you…") is not on the page.
    await expect(summary.textContent()).resolves.not.toMatch(/\b(?:you|your|they're|their)\b/i);
    await expect(page.locator('#detail dd.language').textContent()).resolves.toBe('Español / Spanish callback');
    // The number on the request page is a tap-to-call link too, written as people read it.
    await expect(page.locator('#detail a.tel').getAttribute('href')).resolves.toMatch(/^tel:\+1\d{10}$/);
    await expect(page.locator('#detail a.tel').textContent()).resolves.toMatch(/^\(\d{3}\) \d{3}-\d{4}$/);
    if (viewport.width <= 360) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    await page.screenshot({ path: artifactPath(shot), fullPage: true });
  });

  it.each([
    ['desktop', { width: 1280, height: 900 }, 'staff-unanswered-desktop.png'],
    ['360 x 740 phone', { width: 360, height: 740 }, 'staff-unanswered-phone-360x740.png'],
  ])('when staff go from the queue to the unanswered review on a %s, then they see the groups (personal details hidden) and mark one "add to entry"', async (device, viewport, shot) => {
    const log = staff.app().stores.unanswered!;
    const words = `is there a climbing wall ${device === 'desktop' ? 'indoors' : 'outside'}`;
    const entry = staff.app().kb.faq.entries.find((e) => e.kind === 'answer')!;
    for (let i = 0; i < 4; i++) log.record({ text: words, channel: 'webchat', conversationId: `browser-review-${device}-${i}`, bestCandidate: entry.id });
    log.record({ text: 'please call me at 617 555 0177 about a climbing wall', channel: 'webchat', conversationId: `browser-review-${device}-phone` });
    await log.flush();
    const page = await openConsole(viewport, 0);
    await page.getByRole('link', { name: 'Unanswered questions' }).click();
    await page.waitForURL(/\/staff\/unanswered$/);
    const group = page.locator('#review-body tr', { hasText: words });
    await group.waitFor();
    await expect(group.locator('td[data-label="Times asked"]').textContent()).resolves.toBe('4');
    await expect(group.locator('td[data-label="Closest entry"]').textContent()).resolves.toContain(entry.id);
    await expect(page.locator('#review-body td.hidden-text').first().textContent()).resolves.toBe(HIDDEN_TEXT);
    await expect(page.locator('#review-body').textContent()).resolves.not.toContain('0177');
    await group.getByRole('combobox', { name: 'Mark for this question' }).selectOption('add-to-entry');
    await group.getByRole('combobox', { name: 'Entry to add it to' }).selectOption(entry.id);
    await group.getByRole('button', { name: 'Save mark' }).click();
    const marked = page.locator('#review-body tr', { hasText: words }).locator('td[data-label="Mark"]');
    await page.waitForFunction((w) => Array.from(document.querySelectorAll('#review-body tr')).some((tr) => tr.textContent!.includes(w) && tr.querySelector('td.mark')!.textContent!.startsWith('Add to')), words);
    await expect(marked.textContent()).resolves.toContain(`Add to ${entry.title} (${entry.id}) — maria`);
    await expect(page.locator('#status').textContent()).resolves.toMatch(/^Marked: Add to/);
    const stored = (await log.review(50, { markedOnly: true })).find((g) => g.normalized === words);
    expect(stored?.mark).toMatchObject({ kind: 'add-to-entry', entryId: entry.id, by: 'maria' });
    if (viewport.width <= 360) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    await page.screenshot({ path: artifactPath(shot), fullPage: true });
  });
});
