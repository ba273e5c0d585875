import { Writable } from 'node:stream';
import pino from 'pino';
import { AdmissionsBot } from '../src/bot';
import { ConversationStore } from '../src/conversationStore';
import { openDatabase } from '../src/core/storage/database';
import { SqliteStorage } from '../src/core/storage/sqliteStorage';
import { TestAdapter, type Activity } from 'botbuilder';
import { crisis, recognizer, responder, screening } from './helpers/bot';

/** Info-level logs must never carry what a visitor wrote, or a phone number (SMS puts it in the conversation id). */
describe('logs at info level', () => {
  it('when an SMS visitor talks to the bot, then no message text or phone number reaches the log', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
    const logger = pino({ level: 'info' }, sink);
    const bot = new AdmissionsBot({
      conversations: new ConversationStore(new SqliteStorage(openDatabase(':memory:'))),
      recognizer, responder, crisis, screening, logger,
      maxMessageChars: 2000, screeningExpiryMs: 3_600_000, retentionDays: 30,
    });
    const phone = '+16175550142';
    const adapter = new TestAdapter((c) => bot.run(c), { channelId: 'sms', conversation: { id: phone }, user: { id: phone } } as unknown as Partial<Activity>);
    const said = ['what is the weather on mars', 'i want to talk to a real person', 'my secret story about pills', 'STOP', 'forget me'];
    for (const t of said) await adapter.receiveActivity(t);
    const log = lines.join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(log).not.toContain('6175550142');
    for (const t of said) expect(log.toLowerCase()).not.toContain(t.toLowerCase());
  });
});
