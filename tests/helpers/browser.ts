import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium; .ci/run installs it). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Start headless Chromium, quiet: no background calls home, so anything the page
 * requests is the page's own doing. A missing browser fails the test run, never skips it.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: installedChromium(), args: CHROMIUM_ARGS });
}

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

function installedChromium(): string {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run "apt-get install -y --no-install-recommends chromium" (.ci/run does it)`);
  }
  return CHROMIUM;
}

/** One Chromium profile for a test file; `close` ends the browser and deletes the profile. */
export interface ChromiumProfile {
  context: BrowserContext;
  /** The browser itself, for an incognito context (browser.newContext) beside the profile. */
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Start headless Chromium (as launchChromium) with a profile of its own in a temporary folder,
 * for the tests of one file. A profile on disk keeps V8's code cache, which an incognito context
 * (browser.newContext) does not: Web Chat's 4 MB bundle is compiled on the first two visits and
 * read from the cache after that (about 2 s less per page load). Each new page is a new tab with
 * its own sessionStorage, so it is a new visitor to the widget.
 */
export async function launchChromiumProfile(viewport = { width: 1280, height: 800 }): Promise<ChromiumProfile> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gbac-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(dir, { executablePath: installedChromium(), args: CHROMIUM_ARGS, viewport });
    return {
      context,
      browser: context.browser()!,
      async close() {
        await context.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Where screenshots go (gitignored); CI can keep the folder as a build artifact. */
export function artifactPath(name: string): string {
  const dir = path.resolve(__dirname, '../../test-artifacts');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}

/**
 * Record what the page tries to open: tel: links go to the phone's dialer, which a
 * headless browser doesn't have, so window.open and anchor clicks are noted instead.
 */
export async function recordOpenedUrls(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __opened: string[] };
    w.__opened = [];
    const originalOpen = window.open.bind(window);
    window.open = (url?: string | URL, ...rest: unknown[]) => {
      const href = String(url ?? '');
      w.__opened.push(href);
      return /^(tel|sms|mailto):/i.test(href) ? null : originalOpen(url, ...(rest as [string?, string?]));
    };
    document.addEventListener(
      'click',
      (event) => {
        const link = (event.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
        if (link && /^(tel|sms|mailto):/i.test(link.href)) {
          w.__opened.push(link.href);
          event.preventDefault();
        }
      },
      true,
    );
  });
}

export async function openedUrls(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __opened: string[] }).__opened);
}

/** Web Chat's message box. */
export function sendBox(page: Page) {
  return page.locator('[data-id="webchat-sendbox-input"]');
}

/** Type a message and send it with Enter, as a visitor does. */
export async function say(page: Page, text: string): Promise<void> {
  const box = sendBox(page);
  await box.click();
  await box.fill(text);
  await box.press('Enter');
}

/** The bot's messages in Web Chat's transcript. */
export function botMessages(page: Page): Locator {
  return page.locator('.webchat__bubble:not(.webchat__bubble--from-user)');
}

/** The visitor's messages in the transcript. */
export function visitorMessages(page: Page): Locator {
  return page.locator('.webchat__bubble--from-user');
}

/** A suggested action under the last reply (Web Chat also copies them, hidden, into its live region). */
export function suggestedAction(page: Page, name: string | RegExp): Locator {
  return page.getByRole('toolbar', { name: 'Suggested actions' }).getByRole('button', { name });
}

/** A button on a card in the transcript (the tap-to-call button is one). */
export function cardButton(page: Page, name: string | RegExp): Locator {
  return page.locator('.ac-pushButton').filter({ hasText: name });
}

/** Wait for an element to show (up to the page's timeout); true once it is visible. */
export async function shown(locator: Locator): Promise<boolean> {
  await locator.waitFor({ state: 'visible' });
  return locator.isVisible();
}

/**
 * Wait until the transcript has scrolled to its newest message (Web Chat scrolls smoothly);
 * true when it got there. A transcript that cannot scroll (its styles blocked) never does.
 */
export async function transcriptAtEnd(page: Page, timeout = 10_000): Promise<boolean> {
  try {
    await page.waitForFunction(
      () => {
        const scroller = document.querySelector('.webchat__basic-transcript__scrollable');
        return !!scroller && getComputedStyle(scroller).overflowY === 'auto' && scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2;
      },
      undefined,
      { timeout },
    );
    return true;
  } catch {
    return false;
  }
}
