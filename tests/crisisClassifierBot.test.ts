import type { Activity } from 'botbuilder';
import { crisis, testBot } from './helpers/bot';

/**
 * A message no crisis pattern catches, caught by the classifier: the bot's
 * first reply must still carry the emergency numbers, on every channel.
 */
const NOVEL = 'i think the world will be quieter without me in it soon';
const NOVEL_ES = 'mis papeles ya están en orden y ya me despedí en silencio';

type Adapter = ReturnType<typeof testBot>['adapter'];
async function say(adapter: Adapter, text: string): Promise<Partial<Activity>[]> {
  await adapter.receiveActivity(text);
  return adapter.activeQueue.splice(0) as Partial<Activity>[];
}

describe('classifier-only crisis messages through the bot', () => {
  it('when the message matches no pattern, then the classifier is what alarms', () => {
    expect(crisis.detectByPatterns(NOVEL)).toBeNull();
    expect(crisis.detect(NOVEL)?.evidence).toMatch(/^classifier:/);
  });

  it.each(['webchat', 'sms'])('when it arrives on %s, then the first reply gives 988 and 911, with 988 in its very first part', async (channel) => {
    const { adapter } = testBot(channel);
    // On SMS one reply can arrive as several texts (≤320 characters each).
    const parts = await say(adapter, NOVEL);
    const reply = parts.map((p) => String(p.text)).join('\n');
    expect(String(parts[0]?.text)).toMatch(/988/);
    expect(reply).toMatch(/911/);
    expect(reply).toMatch(/going through something really hard/);
  });

  it('when it arrives mid-screening, then the first reply gives 988 or 911 and the screening waits', async () => {
    const { adapter } = testBot();
    for (const line of ['which program is right for me', 'yes']) await say(adapter, line);
    const [first] = await say(adapter, NOVEL);
    expect(String(first?.text)).toMatch(/\b(?:988|911)\b/);
  });

  it('when the message is Spanish, then the gentle reply is in Spanish', async () => {
    const { adapter } = testBot();
    const [first] = await say(adapter, NOVEL_ES);
    expect(String(first?.text)).toMatch(/^Parece que está pasando/);
    expect(String(first?.text)).toMatch(/988/);
  });

  it('when the visitor then says they need help, then the full reply of the kind follows', async () => {
    const { adapter } = testBot();
    await say(adapter, NOVEL);
    const [next] = await say(adapter, 'i need help now');
    expect(String(next?.text)).toMatch(/988/);
    expect(String(next?.text)).toMatch(/Suicide & Crisis Lifeline/);
  });
});
