import type { Page } from 'playwright-core';
import nock from 'nock';
import type { App } from '../../src/app';
import { startApp } from '../helpers/app';
import { artifactPath, botMessages, cardButton, launchChromiumProfile, say, sendBox, suggestedAction, transcriptAtEnd, type ChromiumProfile } from '../helpers/browser';

// The widget itself: privacy (nothing but our origin), the keyboard, and a phone-sized screen.
jest.setTimeout(60_000);

const WELCOME = /automated admissions assistant/i;

describe('the chat widget in a real browser', () => {
  let app: App;
  let url = '';
  let browser: ChromiumProfile;

  beforeAll(async () => {
    ({ app, url } = await startApp());
    // One profile for the file (Web Chat's bundle is compiled once, then read from V8's code cache);
    // each visit is a new tab, and the widget keeps its state in sessionStorage, which is per tab.
    browser = await launchChromiumProfile();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    nock.enableNetConnect();
  });

  async function visit(viewport = { width: 1280, height: 800 }, onPage?: (page: Page) => Promise<void> | void): Promise<Page> {
    const page = await browser.context.newPage();
    await page.setViewportSize(viewport);
    page.setDefaultTimeout(30_000);
    await onPage?.(page);
    await page.goto(`${url}/`);
    return page;
  }

  it('when a visitor chats, then every request (and the Direct Line stream) goes to our own origin and the policy blocks nothing', async () => {
    const requests: string[] = [];
    const violations: string[] = [];
    const page = await visit(undefined, async (p) => {
      await p.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => console.error(`Refused (CSP): ${e.violatedDirective} ${e.blockedURI}`));
      });
      p.on('request', (r) => requests.push(r.url()));
      p.on('websocket', (ws) => requests.push(ws.url()));
      p.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
      });
    });
    await botMessages(page).filter({ hasText: WELCOME }).first().waitFor();
    await suggestedAction(page, 'What is IOP?').click();
    await botMessages(page).filter({ hasText: /non-residential/ }).first().waitFor();
    await say(page, 'talk to a person');
    await cardButton(page, 'Call (877) 920-6583').waitFor();

    const own = new URL(url);
    // Ours: http(s) and ws(s) to our host, and blob:/data: URLs the page makes itself (no network).
    const foreign = requests.filter((r) => {
      const u = new URL(r);
      if (u.protocol === 'data:') return false;
      if (u.protocol === 'ws:' || u.protocol === 'wss:') return u.host !== own.host;
      return u.origin !== own.origin;
    });
    expect(requests.length).toBeGreaterThan(3);
    expect(requests).toEqual(expect.arrayContaining([`${url}/widget.js`, `${url}/webchat/webchat.js`, `${url}/v3/directline/tokens/generate`]));
    expect(requests.some((r) => r.startsWith(`ws://${own.host}/v3/directline/conversations/`))).toBe(true); // the stream
    expect(foreign).toEqual([]);
    expect(violations).toEqual([]);
    await page.close();
  });

  it('when a visitor uses only the keyboard, then Tab reaches the launcher, Enter opens the panel with focus inside, and Escape closes it back onto the launcher', async () => {
    const page = await visit();
    await botMessages(page).filter({ hasText: WELCOME }).first().waitFor();
    const launcher = page.getByRole('button', { name: 'Chat with admissions' });
    const panel = page.getByRole('dialog', { name: 'Chat with GBAC admissions' });

    // The demo opens with the chat open: close it from the keyboard first (Escape inside the panel).
    await sendBox(page).focus();
    await page.keyboard.press('Escape');
    expect(await panel.isHidden()).toBe(true);
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    expect(await focusedName(page)).toBe('Chat with admissions');

    // From the top of the page, Tab until the launcher has focus.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    let reached = false;
    for (let i = 0; i < 30 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await focusedName(page)) === 'Chat with admissions';
    }
    expect(reached).toBe(true);

    await page.keyboard.press('Enter');
    expect(await panel.isVisible()).toBe(true);
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    await page.waitForFunction(() => document.activeElement?.closest('#gbac-chat-panel') !== null);
    // Focus lands on the message box, so the visitor can type straight away.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-id'))).toBe('webchat-sendbox-input');
    await page.keyboard.type('what is iop');
    await page.keyboard.press('Enter');
    await botMessages(page).filter({ hasText: /non-residential/ }).first().waitFor();

    await page.keyboard.press('Escape');
    expect(await panel.isHidden()).toBe(true);
    expect(await focusedName(page)).toBe('Chat with admissions');
    await page.close();
  });

  it('when the visitor closed the chat, then after a reload it stays closed and Web Chat is not even downloaded', async () => {
    const page = await visit();
    await botMessages(page).filter({ hasText: WELCOME }).first().waitFor();
    await page.getByRole('button', { name: 'Close chat' }).click();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.reload();
    await page.getByRole('button', { name: 'Chat with admissions' }).waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0); // hidden panels are not in the accessibility tree
    expect(requests).toContain('/widget.js');
    expect(requests).not.toContain('/webchat/webchat.js');
    // Opening it again resumes the same conversation.
    await page.getByRole('button', { name: 'Chat with admissions' }).click();
    await botMessages(page).filter({ hasText: WELCOME }).first().waitFor();
    expect(await botMessages(page).filter({ hasText: WELCOME }).count()).toBe(1);
    await page.close();
  });

  it('when the page is on a 360 x 740 phone, then the panel fills the screen with the message box in reach', async () => {
    const page = await visit({ width: 360, height: 740 });
    await botMessages(page).filter({ hasText: WELCOME }).first().waitFor();
    const box = await page.locator('#gbac-chat-panel').boundingBox();
    expect(box).toEqual({ x: 0, y: 0, width: 360, height: 740 });
    const input = await sendBox(page).boundingBox();
    expect(input).not.toBeNull();
    expect(input!.x).toBeGreaterThanOrEqual(0);
    expect(input!.x + input!.width).toBeLessThanOrEqual(360);
    expect(input!.y + input!.height).toBeLessThanOrEqual(740);
    // The close button stays on screen, and nothing scrolls sideways.
    const close = await page.getByRole('button', { name: 'Close chat' }).boundingBox();
    expect(close!.x + close!.width).toBeLessThanOrEqual(360);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await suggestedAction(page, 'What is IOP?').click();
    await botMessages(page).filter({ hasText: /non-residential/ }).first().waitFor();
    // The transcript follows the conversation down to the answer.
    expect(await transcriptAtEnd(page)).toBe(true);
    await page.screenshot({ path: artifactPath('phone-360x740.png') });
    await page.close();
  });

  it('when the chat cannot connect, then the panel says so and offers the admissions line instead', async () => {
    const offline = await startApp({ DIRECTLINE_ENABLED: 'false' });
    // A context of its own (incognito), as before: closing it closes its connections, so the server can stop.
    const context = await browser.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      await page.goto(`${offline.url}/`);
      const status = page.getByRole('status').filter({ hasText: /not available right now/ });
      await status.waitFor();
      expect(await status.getByRole('link', { name: '(877) 920-6583' }).getAttribute('href')).toBe('tel:+18779206583');
    } finally {
      await context.close();
      await offline.app.close();
    }
  });
});

/** The accessible name of the focused element (its aria-label or text). */
function focusedName(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    const el = document.activeElement;
    return el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? undefined;
  });
}
