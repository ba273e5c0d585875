import type { Activity } from 'botbuilder';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { openDatabase } from '../src/core/storage/database';
import { SqliteStorage } from '../src/core/storage/sqliteStorage';
import { SqliteUnansweredLog } from '../src/core/storage/unansweredLog';
import { testBot } from './helpers/bot';

/** Send lines to the bot, collecting what it says for each. */
async function talk(adapter: ReturnType<typeof testBot>['adapter'], lines: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const line of lines) {
    await adapter.receiveActivity(line);
    const replies = adapter.activeQueue.splice(0) as Partial<Activity>[];
    out.push(replies.map((a) => [a.text ?? '', JSON.stringify(a.attachments ?? []), JSON.stringify(a.suggestedActions ?? {})].join(' ')).join('\n'));
  }
  return out;
}

const START = ['which program is right for me', 'yes'];

describe.each(['webchat', 'msteams', 'sms'])('the screening inside the bot on %s', (channel) => {
  it('when a visitor asks which program is right for them, then consent comes before any question', async () => {
    const [consent] = await talk(testBot(channel).adapter, ['which program is right for me']);
    expect(consent).toMatch(/not a diagnosis/i);
    expect(consent).toMatch(/stop/i);
  });

  it('when a visitor asks "do I need IOP?" and says yes to the offer, then the screening starts', async () => {
    const out = await talk(testBot(channel).adapter, ['do i need iop?', 'sure']);
    expect(out[0]).toMatch(/a few quick questions/i);
    expect(out[1]).toMatch(/not a diagnosis/i);
  });

  it('when a FAQ question comes mid-screening, then it is answered and the same question is asked again', async () => {
    const { adapter } = testBot(channel);
    const out = await talk(adapter, [...START, 'alcohol', 'how many days a week is iop']);
    expect(out[2]).toMatch(/how often/i);
    expect(out[3]).toMatch(/3(–| to |-)5 days/i);
    expect(out[3]).toMatch(/how often/i);
    const [next] = await talk(adapter, ['every day']);
    expect(next).toMatch(/shakes/i);
  });

  it('when the consent is asked, then the way to stop it is "never mind", which works on every channel (on SMS "stop" would opt out of all texts)', async () => {
    const out = await talk(testBot(channel).adapter, ['do i need iop?', 'sure']);
    // Teams carries the text inside an Adaptive Card, where quotes are JSON-escaped.
    expect(out[1]).toMatch(/type \\*"never mind\\*"/);
    expect(out[1]).not.toMatch(/type \\*"stop\\*"/);
  });

  it('when the visitor cancels mid-screening, then it stops and says the answers will not be used', async () => {
    // On SMS "cancel" is a carrier opt-out keyword, so the visitor says it another way there.
    const cancel = channel === 'sms' ? 'never mind' : 'cancel';
    const out = await talk(testBot(channel).adapter, [...START, 'alcohol', cancel, 'every day']);
    expect(out[3]).toMatch(/stopped the screening/i);
    expect(out[4]).not.toMatch(/shakes/i);
  });

  it('when the visitor says start over mid-screening, then the screening starts again from consent', async () => {
    const out = await talk(testBot(channel).adapter, [...START, 'alcohol', 'start over']);
    expect(out[3]).toMatch(/not a diagnosis/i);
  });

  it('when the visitor asks for a person mid-screening, then the admissions line comes at once', async () => {
    const out = await talk(testBot(channel).adapter, [...START, 'alcohol', 'i want to talk to a real person']);
    expect(out[3]).toContain('920-6583');
  });

  it('when a visitor reveals suicidal thoughts mid-screening, then 988 comes first, the screening pauses, and resumes on request', async () => {
    const { adapter } = testBot(channel);
    const out = await talk(adapter, [...START, 'alcohol', 'honestly i dont want to be alive anymore', 'every day', "i'm safe", 'continue screening', 'every day']);
    expect(out[3]).toMatch(/988/);
    expect(out[4]).toMatch(/safe/i); // the check-in comes before anything else
    expect(out[4]).not.toMatch(/shakes/i);
    expect(out[5]).toMatch(/continue/i);
    expect(out[6]).toMatch(/how often/i);
    expect(out[7]).toMatch(/shakes/i);
  });
});

describe('the crisis flag', () => {
  it('when a flagged conversation later asks for a person, then the handoff event carries crisis priority', async () => {
    const { adapter } = testBot('webchat');
    await adapter.receiveActivity('i took too many pills');
    await adapter.receiveActivity("i'm safe now");
    adapter.activeQueue.splice(0);
    await adapter.receiveActivity('can i talk to a real person');
    const event = (adapter.activeQueue.splice(0) as Partial<Activity>[]).find((a) => a.name === 'handoff.initiate');
    expect(event?.value).toMatchObject({ reason: 'crisis-follow-up', priority: 'crisis' });
  });
});

describe('forget me', () => {
  it('when a visitor says "forget me" mid-screening, then their answers are deleted from the store', async () => {
    const storage = new SqliteStorage(openDatabase(':memory:'));
    const { adapter } = testBot('webchat', storage);
    await talk(adapter, [...START, 'alcohol']);
    const key = 'webchat/conversations/Convo1';
    expect(JSON.stringify(await storage.read([key]))).toContain('alcohol');
    const [reply] = await talk(adapter, ['forget me']);
    expect(reply).toMatch(/deleted/i);
    expect(await storage.read([key])).toEqual({});
  });

  it('when a visitor says "forget me", then the questions the bot could not answer them are deleted from the unanswered log, other visitors\' kept', async () => {
    const db = openDatabase(':memory:');
    const unanswered = new SqliteUnansweredLog(db);
    const visitor = testBot('webchat', new SqliteStorage(db), undefined, { unanswered });
    const other = testBot('webchat', new SqliteStorage(db), undefined, { unanswered }, { conversation: { id: 'other' } } as Partial<Activity>);
    await talk(visitor.adapter, ['is fentanyl sold on mars']);
    await talk(other.adapter, ['is there a bowling alley on mars']);
    unanswered.flush();
    expect(unanswered.top(10)).toHaveLength(2);
    await talk(visitor.adapter, ['forget me']);
    expect(unanswered.top(10).map((q) => q.example)).toEqual(['is there a bowling alley on mars']);
  });
});

describe('a restart in the middle of a screening', () => {
  it('when the store is reopened by a new process, then the screening resumes at the same question', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gbac-restart-'));
    const file = path.join(dir, 'bot.sqlite');
    try {
      const before = testBot('webchat', new SqliteStorage(openDatabase(file)));
      await talk(before.adapter, [...START, 'alcohol']);
      // A new bot and a new database handle: nothing is shared but the file.
      const after = testBot('webchat', new SqliteStorage(openDatabase(file)));
      const [reply] = await talk(after.adapter, ['every day']);
      expect(reply).toMatch(/shakes/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
