import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { AdmissionsBot } from '../src/bot';
import { ConversationStore } from '../src/conversationStore';
import { openDatabase } from '../src/core/storage/database';
import { SqliteStorage } from '../src/core/storage/sqliteStorage';
import { TestAdapter, type Activity } from 'botbuilder';
import { crisis, recognizer, responder, screening } from './helpers/bot';

const PHONE = '+16175550142';

/** An SMS bot logging at `level` into `lines`. */
function smsBot(lines: string[], level = 'info') {
  const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  const logger = pino({ level }, sink);
  const bot = new AdmissionsBot({
    conversations: new ConversationStore(new SqliteStorage(openDatabase(':memory:'))),
    recognizer, responder, crisis, screening, logger,
    maxMessageChars: 2000, screeningExpiryMs: 3_600_000, retentionDays: 30,
  });
  return new TestAdapter((c) => bot.run(c), { channelId: 'sms', conversation: { id: PHONE }, user: { id: PHONE } } as unknown as Partial<Activity>);
}

/** A fresh copy of the logger module: what a new process (or another instance) starts with. */
function freshLogger(): typeof import('../src/logger') {
  let mod: typeof import('../src/logger') | undefined;
  jest.isolateModules(() => {
    mod = require('../src/logger'); // eslint-disable-line @typescript-eslint/no-require-imports
  });
  return mod!;
}

/** Info-level logs must never carry what a visitor wrote, or a phone number (SMS puts it in the conversation id). */
describe('logs at info level', () => {
  it('when an SMS visitor talks to the bot, then no message text or phone number reaches the log', async () => {
    const lines: string[] = [];
    const adapter = smsBot(lines);
    const said = ['what is the weather on mars', 'i want to talk to a real person', 'my secret story about pills', 'STOP', 'forget me'];
    for (const t of said) await adapter.receiveActivity(t);
    const log = lines.join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(log).not.toContain('6175550142');
    for (const t of said) expect(log.toLowerCase()).not.toContain(t.toLowerCase());
  });

  it('when a visitor sends a crisis message, then the log says a crisis of which kind, but not what matched, and its conversation id is no plain hash of the number', async () => {
    const lines: string[] = [];
    await smsBot(lines).receiveActivity('i want to kill myself tonight');
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const signal = events.find((e) => e.event === 'crisis');
    expect(signal).toMatchObject({ kind: expect.any(String), conversation: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(signal).not.toHaveProperty('evidence');
    expect(events.some((e) => 'evidence' in e)).toBe(false);
    const sha = createHash('sha256').update(PHONE).digest('hex');
    expect(sha).not.toContain(String(signal!.conversation));
  });
});

describe('log pseudonyms (logId)', () => {
  it('when a conversation id is a phone number, then its log id cannot be recomputed as a SHA-256 of it', () => {
    const { logId } = freshLogger();
    const id = logId(PHONE)!;
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    for (const candidate of [PHONE, '6175550142', 'sms/' + PHONE]) expect(createHash('sha256').update(candidate).digest('hex')).not.toContain(id);
  });

  it('when two processes have no LOG_ID_SECRET, or different ones, then they give one conversation different ids; the same secret gives the same id, every time', () => {
    const [a, b] = [freshLogger(), freshLogger()];
    expect(a.logId(PHONE)).not.toBe(b.logId(PHONE));
    a.useLogIdSecret('first-secret-first-secret-first-secret');
    b.useLogIdSecret('other-secret-other-secret-other-secret');
    expect(a.logId(PHONE)).not.toBe(b.logId(PHONE));
    b.useLogIdSecret('first-secret-first-secret-first-secret');
    expect(b.logId(PHONE)).toBe(a.logId(PHONE));
    expect(a.logId(PHONE)).toBe(a.logId(PHONE));
    expect(a.logId('+16175550143')).not.toBe(a.logId(PHONE));
  });
});
