import type { Page } from 'playwright-core';
import nock from 'nock';
import type { App } from '../../src/app';
import { startApp } from '../helpers/app';
import { artifactPath, botMessages, cardButton, launchChromiumProfile, openedUrls, type ChromiumProfile, recordOpenedUrls, say, sendBox, shown, suggestedAction, transcriptAtEnd, visitorMessages } from '../helpers/browser';

// A real browser, the real service: Web Chat loads, talks Direct Line to us and renders the bot's replies.
jest.setTimeout(60_000);

const WELCOME = /automated admissions assistant/i;
const IOP_ANSWER = /structured, non-residential/i;

describe('the website chat, as a visitor uses it', () => {
  let app: App;
  let url = '';
  let browser: ChromiumProfile;
  let page: Page;

  beforeAll(async () => {
    ({ app, url } = await startApp());
    // One profile for the file: Web Chat's 4 MB bundle comes from its HTTP cache after the first visit,
    // and its compiled code from V8's code cache after the second.
    browser = await launchChromiumProfile({ width: 1280, height: 800 });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    nock.enableNetConnect();
  });

  // Each test is a new visitor: a new tab (the widget keeps its conversation in sessionStorage,
  // which is per tab, so a new tab starts a new conversation), the demo page, the welcome.
  beforeEach(async () => {
    page = await browser.context.newPage();
    page.setDefaultTimeout(30_000);
    await recordOpenedUrls(page);
    await page.goto(`${url}/`);
    await botMessages(page).filter({ hasText: WELCOME }).first().waitFor();
  });
  afterEach(async () => {
    await page?.close();
  });

  it('when a visitor opens the demo page, then the chat is open with the welcome and its suggested actions', async () => {
    expect(await shown(page.getByRole('dialog', { name: 'Chat with GBAC admissions' }))).toBe(true);
    expect(await shown(suggestedAction(page, 'What is IOP?'))).toBe(true);
    expect(await shown(suggestedAction(page, 'Find the right program'))).toBe(true);
    expect(await shown(suggestedAction(page, 'Talk to a person'))).toBe(true);
    await page.screenshot({ path: artifactPath('desktop-welcome.png') });
  });

  it('when the visitor types "what is iop", then the answer appears under the question', async () => {
    await say(page, 'what is iop');
    await botMessages(page).filter({ hasText: IOP_ANSWER }).first().waitFor();
    await expect(visitorMessages(page).filter({ hasText: 'what is iop' }).count()).resolves.toBe(1);
    await expect(sendBox(page).inputValue()).resolves.toBe('');
  });

  it('when the visitor taps a suggested action, then it is sent and answered', async () => {
    await suggestedAction(page, 'What is IOP?').click();
    await botMessages(page).filter({ hasText: IOP_ANSWER }).first().waitFor();
    // The tap shows as the visitor's message, and the answer offers its own follow-ups.
    await visitorMessages(page).filter({ hasText: /what is iop/i }).first().waitFor();
  });

  it('when the visitor taps "Find the right program", then the screening asks for consent first', async () => {
    await suggestedAction(page, 'Find the right program').click();
    await botMessages(page).filter({ hasText: /not a diagnosis/i }).first().waitFor();
    expect(await shown(suggestedAction(page, "Yes, let's start"))).toBe(true);
    expect(await shown(suggestedAction(page, 'Not now'))).toBe(true);
    expect(await transcriptAtEnd(page)).toBe(true);
    await page.screenshot({ path: artifactPath('desktop-screening-consent.png') });
  });

  it('when the visitor types "take the screening", then the consent question appears', async () => {
    await say(page, 'take the screening');
    await botMessages(page).filter({ hasText: /confidential self-screen/i }).first().waitFor();
    expect(await shown(suggestedAction(page, "Yes, let's start"))).toBe(true);
  });

  it('when the visitor asks to talk to a person, then a call button dials the admissions line', async () => {
    await suggestedAction(page, 'Talk to a person').click();
    await botMessages(page).filter({ hasText: /admissions team (?:now )?at \(877\) 920-6583/ }).first().waitFor();
    const call = cardButton(page, 'Call (877) 920-6583');
    await call.waitFor();
    await call.click();
    await expect(poll(() => openedUrls(page))).resolves.toContain('tel:+18779206583');
    // The page stays: calling does not navigate away from the chat.
    expect(new URL(page.url()).origin).toBe(url);
  });

  it('when the visitor types "talk to a person", then the same call button appears', async () => {
    await say(page, 'talk to a person');
    await cardButton(page, 'Call (877) 920-6583').waitFor();
  });

  it('when the page is reloaded, then the conversation carries on where it was, without a second welcome', async () => {
    await say(page, 'what is iop');
    await botMessages(page).filter({ hasText: IOP_ANSWER }).first().waitFor();
    const before = await conversationId(page);
    expect(before).toBeTruthy();

    await page.reload();
    await botMessages(page).filter({ hasText: IOP_ANSWER }).first().waitFor();
    expect(await conversationId(page)).toBe(before);
    await expect(botMessages(page).filter({ hasText: WELCOME }).count()).resolves.toBe(1);

    // And it still answers.
    await say(page, 'how many days a week is iop');
    await botMessages(page).filter({ hasText: /days/ }).nth(1).waitFor();
  });
});



async function conversationId(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    for (let i = 0; i < sessionStorage.length; i++) {
      const key = sessionStorage.key(i);
      if (key?.startsWith('gbac-chat:')) return (JSON.parse(sessionStorage.getItem(key) ?? '{}') as { conversationId?: string }).conversationId;
    }
    return undefined;
  });
}

/** Retry a read until it is non-empty (a click's effect arrives a moment later). */
async function poll<T>(read: () => Promise<T[]>, tries = 50): Promise<T[]> {
  for (let i = 0; i < tries; i++) {
    const value = await read();
    if (value.length) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  return read();
}
