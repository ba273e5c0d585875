import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { App } from '../../src/app';
import { launchChromium } from '../helpers/browser';
import { PASSWORDS, startStaffApp, START_TIMEOUT } from '../staff/helpers';

export interface StaffConsoleBrowser {
  app(): App;
  url(): string;
  /** A fresh browser context (closed after the test) logged in at /staff as maria, on the queue. */
  logIn(viewport: { width: number; height: number }, before?: (page: Page) => Promise<void>): Promise<Page>;
}

/**
 * For a describe block: the real service with the console on and one Chromium, started before
 * its tests (then `prepare`, e.g. conversations to report on) and stopped after them.
 */
export function useStaffConsole(prepare: (app: App, url: string) => Promise<void> = async () => undefined): StaffConsoleBrowser {
  let app: App | undefined;
  let url = '';
  let browser: Browser;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    ({ app, url } = await startStaffApp());
    browser = await launchChromium();
    await prepare(app, url);
  }, START_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  afterEach(async () => {
    await context?.close();
  });

  return {
    app: () => app!,
    url: () => url,
    async logIn(viewport, before) {
      context = await browser.newContext({ viewport });
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      await before?.(page);
      await page.goto(`${url}/staff`);
      await page.locator('#login').fill('maria');
      await page.locator('#password').fill(PASSWORDS.maria!);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.locator('#queue-section').waitFor();
      return page;
    },
  };
}
