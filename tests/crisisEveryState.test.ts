import type { Activity } from 'botbuilder';
import * as path from 'node:path';
import { loadCrisisCorpus } from '../src/core/safety/evaluate';
import { testBot } from './helpers/bot';

/**
 * The safety net must answer first whatever the bot was doing: at the start, in
 * the middle of the screening, and inside a prompt ("did you mean"). Every message
 * of the crisis corpus is sent at each of these states, on web chat and SMS.
 */
const corpus = loadCrisisCorpus(path.resolve(__dirname, '../knowledge/safety/crisis-examples.yaml'));
const EMERGENCY = /\b(?:911|988)\b/;

type Adapter = ReturnType<typeof testBot>['adapter'];
async function say(adapter: Adapter, text: string, conversation: string): Promise<Partial<Activity>[]> {
  await adapter.receiveActivity({ type: 'message', text, conversation: { id: conversation } } as Partial<Activity>);
  return adapter.activeQueue.splice(0) as Partial<Activity>[];
}

/** How to reach each state, and what the last setup reply must show to prove we are there. */
const STATES: Record<string, { lines: string[]; proof?: RegExp }> = {
  'at the start': { lines: [] },
  'mid-screening': { lines: ['which program is right for me', 'yes', 'alcohol'], proof: /how often/i },
  'inside a "did you mean" prompt': { lines: ['detox or residential'], proof: /None of these/ },
};

// One bot (and one database) per channel and state. The state is reached once, in a template
// conversation, and every corpus message gets a conversation of its own holding a copy of that
// stored state: the same state the setup lines lead to, without replaying them 1,900 times.
describe.each(['webchat', 'sms'])('on %s', (channel) => {
  it.each(Object.keys(STATES))('when every crisis message of the corpus arrives %s, then the first reply gives 988 or 911', async (state) => {
    const { adapter, storage } = testBot(channel);
    const { lines, proof } = STATES[state]!;
    let last: Partial<Activity>[] = [];
    for (const line of lines) last = await say(adapter, line, 'template');
    if (proof) expect(JSON.stringify(last)).toMatch(proof);
    const key = (conversation: string) => `${channel}/conversations/${conversation}`;
    const template = (await storage.read([key('template')]))[key('template')];
    if (lines.length) expect(template).toBeDefined();

    const missed: string[] = [];
    for (const [i, item] of corpus.entries()) {
      const conversation = `crisis-${i}`;
      if (template) await storage.write({ [key(conversation)]: { ...template, eTag: '*' } });
      const first = (await say(adapter, item.text, conversation))[0];
      if (!EMERGENCY.test(String(first?.text ?? ''))) missed.push(item.text);
      if (channel === 'sms' && (first?.attachments?.length || first?.suggestedActions)) missed.push(`(not plain text) ${item.text}`);
      if (channel === 'webchat' && !JSON.stringify(first?.attachments ?? []).includes('tel:')) missed.push(`(no tap-to-call) ${item.text}`);
    }
    expect(missed).toEqual([]);
  });

  it('when a conversation holds a copy of the mid-screening state, then it carries on the screening as the original would', async () => {
    const { adapter, storage } = testBot(channel);
    for (const line of STATES['mid-screening']!.lines) await say(adapter, line, 'template');
    const key = (conversation: string) => `${channel}/conversations/${conversation}`;
    const template = (await storage.read([key('template')]))[key('template')]!;
    await storage.write({ [key('copy')]: { ...template, eTag: '*' } });
    const shown = (replies: Partial<Activity>[]) => replies.map((r) => ({ text: r.text, attachments: r.attachments, actions: r.suggestedActions }));
    const original = shown(await say(adapter, 'every day', 'template'));
    const copy = shown(await say(adapter, 'every day', 'copy'));
    expect(copy).toEqual(original);
    expect(copy[0]?.text).toMatch(/withdrawal|shakes/i);
  });
});

describe('screening expiry', () => {
  it('when a screening is left longer than the expiry, then it is closed and the message is handled normally', async () => {
    // Only the clock is faked: an expiry of a few ms failed when a busy machine was slower than that between two turns.
    jest.useFakeTimers({ doNotFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'nextTick', 'queueMicrotask', 'hrtime', 'performance'] });
    try {
      const { adapter } = testBot('webchat', undefined, 60 * 60_000);
      await say(adapter, 'which program is right for me', 'expiry');
      await say(adapter, 'yes', 'expiry');
      jest.setSystemTime(Date.now() + 61 * 60_000);
      const replies = await say(adapter, 'what is php', 'expiry');
      // One reply: the screening's closing first, then the answer.
      expect(String(replies[0]?.text)).toMatch(/been a while[\s\S]*partial hospitali[sz]ation/i);
    } finally {
      jest.useRealTimers();
    }
  });
});
