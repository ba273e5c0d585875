import type { App } from '../../src/app';
import { ConversationLogs, type Conversation } from '../../src/directline/conversations';
import { startApp } from '../helpers/app';
import { activities, botTexts, postText, startConversation } from './client';

/** What the log really holds, serialized: the bound is on this, not on a counter alone. */
const heldBytes = (c: Conversation) => c.log.reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e.activity)), 0);
const message = (text: string) => ({ type: 'message', text });
const texts = (list: Array<Record<string, unknown>>) => list.map((a) => a.text);

describe('Direct Line logs are bounded in bytes', () => {
  it('when one conversation gets more than its byte budget, then the oldest go, the newest stays, and watermarks keep rising', () => {
    const logs = new ConversationLogs({ maxConversationBytes: 4096, maxTotalBytes: 1 << 20 });
    const { conversation } = logs.open('c1', 'dl_u');
    for (let i = 1; i <= 40; i++) logs.append(conversation, message(`m${i} ${'x'.repeat(400)}`));
    expect(heldBytes(conversation)).toBeLessThanOrEqual(4096);
    expect(conversation.bytes).toBe(heldBytes(conversation));
    const kept = logs.after(conversation, undefined);
    expect(kept.activities.length).toBeGreaterThan(3);
    expect(String(kept.activities.at(-1)!.text)).toMatch(/^m40 /);
    expect(kept.watermark).toBe('40');
  });

  it('when all conversations together pass the total budget, then the least recently used lose their oldest first', () => {
    const logs = new ConversationLogs({ maxConversationBytes: 4096, maxTotalBytes: 10_000 });
    const all = ['a', 'b', 'c', 'd', 'e'].map((id) => logs.open(id, `dl_${id}`).conversation);
    for (let round = 1; round <= 8; round++) for (const c of all) logs.append(c, message(`${c.id}${round} ${'y'.repeat(400)}`));
    const total = all.reduce((sum, c) => sum + heldBytes(c), 0);
    expect(total).toBeLessThanOrEqual(10_000);
    expect(logs.totalBytes).toBe(total);
    // "a" was opened first and never touched since: it gave up the most.
    expect(all[0]!.log.length).toBeLessThan(all[4]!.log.length);
    expect(String(logs.after(all[4]!, undefined).activities.at(-1)!.text)).toMatch(/^e8 /);
  });

  it('when an activity alone is larger than a conversation may hold, then it is streamed but not kept', () => {
    const logs = new ConversationLogs({ maxConversationBytes: 2048, maxTotalBytes: 1 << 20 });
    const { conversation } = logs.open('c1', 'dl_u');
    const heard: unknown[] = [];
    logs.subscribe(conversation, (set) => heard.push(set));
    logs.append(conversation, message('z'.repeat(5000)));
    expect(heard).toHaveLength(1);
    expect(conversation.log).toEqual([]);
    expect(logs.totalBytes).toBe(0);
  });

  it('when a conversation is dropped or forgotten, then its bytes leave the total', () => {
    let now = 0;
    const logs = new ConversationLogs({ idleMs: 1000, now: () => now });
    const a = logs.open('a', 'dl_a').conversation;
    const b = logs.open('b', 'dl_b').conversation;
    logs.append(a, message('hello'));
    logs.append(b, message('hello'));
    logs.forget('a');
    expect(logs.totalBytes).toBe(heldBytes(b));
    now = 5000;
    logs.sweep();
    expect(logs.totalBytes).toBe(0);
    // A turn that outlived its conversation adds nothing that could never be evicted.
    logs.append(b, message('late reply'));
    expect(logs.totalBytes).toBe(0);
  });

  it('when the history is longer than a page, then each answer is one page and its watermark asks for the next', () => {
    const logs = new ConversationLogs({ pageSize: 10 });
    const { conversation } = logs.open('c1', 'dl_u');
    for (let i = 1; i <= 25; i++) logs.append(conversation, message(`m${i}`));
    const first = logs.after(conversation, undefined);
    const second = logs.after(conversation, Number(first.watermark));
    const third = logs.after(conversation, Number(second.watermark));
    expect([first.activities.length, second.activities.length, third.activities.length]).toEqual([10, 10, 5]);
    expect([first.watermark, second.watermark, third.watermark]).toEqual(['10', '20', '25']);
    expect(texts([...first.activities, ...second.activities, ...third.activities])).toEqual(Array.from({ length: 25 }, (_, i) => `m${i + 1}`));
  });
});

describe('Direct Line endpoint keeps only what the page needs', () => {
  let app: App;
  let url = '';
  beforeAll(async () => {
    ({ app, url } = await startApp({ DIRECTLINE_MAX_CONVERSATION_BYTES: String(32 * 1024), RATE_LIMIT_CONVERSATION_PER_MINUTE: '0' }));
  });
  afterAll(() => app.close());

  it('when a visitor posts a 250 KB activity, then the log keeps the text up to MAX_MESSAGE_CHARS and the echo fields, and the bot still answers it', async () => {
    const { conversationId, token } = await startConversation(url);
    const huge = {
      channelData: { clientActivityID: 'big-1', padding: 'p'.repeat(50_000) },
      value: { blob: 'v'.repeat(50_000) },
      entities: [{ type: 'ClientCapabilities', blob: 'e'.repeat(50_000) }],
      attachments: [{ contentType: 'image/png', content: 'a'.repeat(10_000), name: 'photo.png' }],
    };
    const posted = await postText(url, conversationId, token, 'w'.repeat(90_000), huge);
    expect(posted.status).toBe(200);
    const log = await activities(url, conversationId, token);
    const echo = log.body.activities.find((a: { id: string }) => a.id === posted.body.id);
    expect(echo.text).toBe('w'.repeat(2000));
    expect(echo.channelData).toEqual({ clientActivityID: 'big-1' });
    expect(echo.attachments).toEqual([{ contentType: 'image/png' }]);
    expect(echo.value).toBeUndefined();
    expect(echo.entities).toBeUndefined();
    // The turn knew how long the message was (it reads only the start): "one question at a time".
    expect(botTexts(log.body.activities)).toMatch(/one question at a time/);
    expect(app.directLine!.logs.get(conversationId)!.bytes).toBeLessThan(8 * 1024);
  });

  it('when a small value is posted (a card button), then it is kept for the page', async () => {
    const { conversationId, token } = await startConversation(url);
    const posted = await postText(url, conversationId, token, '', { value: { choice: 'iop' } });
    const log = await activities(url, conversationId, token);
    expect(log.body.activities.find((a: { id: string }) => a.id === posted.body.id).value).toEqual({ choice: 'iop' });
  });

  it('when a conversation goes on past DIRECTLINE_MAX_CONVERSATION_BYTES, then it holds at most that and keeps the newest', async () => {
    const { conversationId, token } = await startConversation(url);
    for (let i = 0; i < 16; i++) await postText(url, conversationId, token, `${i} ${'q'.repeat(1997)}`);
    const conversation = app.directLine!.logs.get(conversationId)!;
    expect(heldBytes(conversation)).toBeLessThanOrEqual(32 * 1024);
    const log = await activities(url, conversationId, token);
    expect(texts(log.body.activities).some((t) => typeof t === 'string' && t.startsWith('15 '))).toBe(true);
    expect(texts(log.body.activities).some((t) => typeof t === 'string' && t.startsWith('0 '))).toBe(false);
  });

  it('when the history is longer than a page, then GET /activities gives one page and the watermark continues it', async () => {
    const { conversationId, token } = await startConversation(url);
    const conversation = app.directLine!.logs.get(conversationId)!;
    for (let i = 1; i <= 150; i++) app.directLine!.logs.append(conversation, { type: 'message', text: `n${i}` });
    const pageSize = app.directLine!.logs.pageSize;
    const seen: unknown[] = [];
    let watermark: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await activities(url, conversationId, token, watermark);
      expect(res.body.activities.length).toBeLessThanOrEqual(pageSize);
      if (!res.body.activities.length) break;
      seen.push(...texts(res.body.activities));
      watermark = res.body.watermark;
    }
    expect(seen.filter((t) => typeof t === 'string' && /^n\d+$/.test(t))).toEqual(Array.from({ length: 150 }, (_, i) => `n${i + 1}`));
    expect(seen.length).toBeGreaterThan(pageSize);
  });
});
