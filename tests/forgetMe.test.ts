import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { App } from '../src/app';
import { activity, post, startApp } from './helpers/app';
import { texts } from './helpers/visitor';
import { usePgSchema, withAdmin } from './helpers/pg';
import { call, login, startChannel, staffUsers, START_TIMEOUT, type Channel } from './staff/helpers';

/** What must not survive "forget me" anywhere in the database files: the name, the number, the substance. */
const MARKERS = ['zebulon', '5550199', 'fentanyl'];

/** Every file SQLite keeps for a database (the file, its write-ahead log and shared index), as grep -a sees them. */
function filesOf(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) out[path.basename(f)] = readFileSync(f).toString('latin1').toLowerCase();
  return out;
}
const found = (files: Record<string, string>, markers: string[]) => Object.entries(files).flatMap(([f, body]) => markers.filter((m) => body.includes(m)).map((m) => `${m} in ${f}`));

describe('"forget me" with the embedded SQLite file', () => {
  let dir: string;
  let file: string;
  let app: App;
  let url: string;
  let channel: Channel;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'gbac-forget-'));
    file = path.join(dir, 'bot.sqlite');
    channel = await startChannel();
    ({ app, url } = await startApp({ SQLITE_PATH: file, STAFF_USERS: await staffUsers(), HANDOFF_LIVE: 'true' }));
  }, START_TIMEOUT);
  afterAll(async () => {
    await app?.close();
    await channel?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const visitor = (conversation: string, text: string) => post(url, activity({ text, conversation: { id: conversation }, from: { id: `user-${conversation}` }, serviceUrl: channel.url }));

  it('when a visitor who gave a name, a number and a substance, chatted with staff and got a staff note says "forget me", then none of it is left in the database, its WAL or its shared memory file', async () => {
    const me = 'forget-files';
    // A question the bot cannot answer (the unanswered log), then a callback request with name and number.
    for (const t of ['is fentanyl sold on mars', 'talk to a person', 'Request a callback', 'Zebulon', '617-555-0199', 'Evening', 'Yes, contact me']) await visitor(me, t);
    const [request] = (await app.handoffs.store.listActive()).filter((r) => r.conversationId === me);
    expect(request).toMatchObject({ name: 'Zebulon', phone: '+16175550199' });

    // Staff claim it, chat live and leave a note.
    const maria = await login(url, 'maria');
    expect((await call(url, 'POST', `/staff/api/requests/${request!.id}/claim`, { cookie: maria })).status).toBe(200);
    expect((await call(url, 'POST', `/staff/api/requests/${request!.id}/takeover`, { cookie: maria })).status).toBe(200);
    expect((await visitor(me, 'this is Zebulon again, still on fentanyl, 617-555-0199')).status).toBe(200);
    expect((await call(url, 'POST', `/staff/api/requests/${request!.id}/messages`, { cookie: maria, body: { text: 'Hi Zebulon, we will call 617-555-0199 about the fentanyl' } })).status).toBe(201);
    expect((await call(url, 'POST', `/staff/api/requests/${request!.id}/notes`, { cookie: maria, body: { note: 'Zebulon uses fentanyl daily; 617-555-0199' } })).status).toBe(201);
    app.stores.unanswered?.flush();
    expect(found(filesOf(file), MARKERS).length).toBeGreaterThan(0); // the files do hold it before

    const forgot = await visitor(me, 'forget me');
    expect(texts(forgot)).toMatch(/deleted/i);
    expect(found(filesOf(file), MARKERS)).toEqual([]);
    expect(await app.handoffs.store.get(request!.id)).toBeUndefined();
  });

  it('when a visitor shared their last messages with a callback and says "forget me", then the messages are gone with the request and the conversation state', async () => {
    const me = 'forget-excerpt';
    for (const t of ['my brother takes xylazinex every night', 'talk to a person', 'Request a callback', 'Zebulon', '617-555-0199', 'Evening', 'Yes, contact me']) await visitor(me, t);
    expect(texts(await visitor(me, 'Yes, share them'))).toMatch(/added your last few messages/);
    const [request] = (await app.handoffs.store.listActive()).filter((r) => r.conversationId === me);
    expect(request!.transcriptExcerpt).toEqual(['my brother takes xylazinex every night', 'talk to a person']);
    expect(found(filesOf(file), ['xylazinex']).length).toBeGreaterThan(0);

    expect(texts(await visitor(me, 'forget me'))).toMatch(/deleted/i);
    expect(await app.handoffs.store.get(request!.id)).toBeUndefined();
    expect(found(filesOf(file), ['xylazinex'])).toEqual([]);
  });

  it('when a resolved request with shared messages passes the retention period, then the purge deletes the messages with it', async () => {
    const me = 'retention-excerpt';
    for (const t of ['does quorvaxil help with cravings', 'talk to a person', 'Request a callback', 'Zebulon', '617-555-0199', 'Evening', 'Yes, contact me', 'Yes, share them']) await visitor(me, t);
    const [request] = (await app.handoffs.store.listActive()).filter((r) => r.conversationId === me);
    expect(request!.transcriptExcerpt).toContain('does quorvaxil help with cravings');
    expect(await app.handoffs.store.resolve(request!.id, 'maria')).toBe(true);
    const old = Date.now() - 40 * 86_400_000;
    app.db!.prepare('UPDATE handoff_request SET updated_at = ? WHERE id = ?').run(old, request!.id);
    app.db!.prepare("UPDATE state SET updated_at = ? WHERE key LIKE ?").run(old, `%${me}%`);
    app.db!.prepare("UPDATE unanswered SET created_at = ? WHERE text LIKE '%quorvaxil%'").run(old);
    expect(found(filesOf(file), ['quorvaxil']).length).toBeGreaterThan(0);

    const report = await app.retention.runOnce();
    expect(report.failed).toEqual({});
    expect(await app.handoffs.store.get(request!.id)).toBeUndefined();
    expect(found(filesOf(file), ['quorvaxil'])).toEqual([]);
  });

  it('when the retention purge deletes old conversation data, then the database files keep no copy of it', async () => {
    await app.stores.storage.write({ 'webchat/conversations/old-one': { name: 'Quillon', phone: '+16175550188' } });
    app.stores.unanswered!.record({ text: 'do quillon pets go to mars', channel: 'webchat', conversationId: 'old-one' });
    app.stores.unanswered!.flush();
    const old = Date.now() - 40 * 86_400_000;
    app.db!.prepare("UPDATE state SET updated_at = ? WHERE key = 'webchat/conversations/old-one'").run(old);
    app.db!.prepare("UPDATE unanswered SET created_at = ? WHERE text LIKE '%quillon%'").run(old);
    expect(found(filesOf(file), ['quillon', '5550188']).length).toBeGreaterThan(0);

    const report = await app.retention.runOnce();
    expect(report.failed).toEqual({});
    expect(found(filesOf(file), ['quillon', '5550188'])).toEqual([]);
  });
});

describe('"forget me" with PostgreSQL', () => {
  const schema = usePgSchema('forget');
  let app: App;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await startApp({ DATABASE_URL: schema().url, LOG_ID_SECRET: 'a-log-id-secret-of-32-characters!' }));
  }, START_TIMEOUT);
  afterAll(async () => {
    await app?.close();
  });

  const count = (table: string) => withAdmin(async (c) => Number((await c.query(`SELECT count(*) AS n FROM ${schema().schema}.${table}`)).rows[0].n));

  it('when a visitor says "forget me", then their state, callback request (with the messages they shared) and logged questions are gone from the database', async () => {
    const say = (text: string) => post(url, activity({ text, conversation: { id: 'pg-forget' }, from: { id: 'pg-forget-user' } }));
    for (const t of ['is fentanyl sold on mars', 'talk to a person', 'Request a callback', 'Zebulon', '617-555-0199', 'Evening', 'Yes, contact me', 'Yes, share them']) await say(t);
    // The shared messages are kept in the request itself.
    const [request] = await app.handoffs.store.listActive();
    expect(request!.transcriptExcerpt).toEqual(['is fentanyl sold on mars', 'talk to a person']);
    await app.stores.unanswered!.flush();
    expect(await count('unanswered')).toBe(1);
    expect(await count('handoff_request')).toBe(1);

    expect(texts(await say('forget me'))).toMatch(/deleted/i);
    expect(await count('unanswered')).toBe(0);
    expect(await count('handoff_request')).toBe(0);
    const left = await withAdmin(async (c) => JSON.stringify((await c.query(`SELECT * FROM ${schema().schema}.state`)).rows).toLowerCase());
    for (const m of MARKERS) expect(left).not.toContain(m);
  });
});
