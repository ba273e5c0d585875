import nock from 'nock';
import { createApp, type App } from '../src/app';
import { ConfigError, loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { createStores, describeStore } from '../src/stores';
import { activity, post, startApp } from './helpers/app';
import { freePort, PgRelay, usePgSchema, withAdmin } from './helpers/pg';

const schema = usePgSchema('app');
const APOLOGY = /something went wrong[\s\S]*920-6583/;

const start = (env: Record<string, string>) => startApp(env);
const stop = (app: App) => app.close();
afterAll(() => nock.enableNetConnect());

const say = (url: string, text: string, conversation: string, extra: Record<string, unknown> = {}) =>
  post(url, activity({ text, conversation: { id: conversation }, ...extra }));
const texts = (res: { activities: Array<Record<string, unknown>> }) => res.activities.map((a) => String(a.text ?? '')).join('\n');

/** /readyz until it says ready (the service reconnects on its own); the deadline only stops a broken build. */
async function whenReady(url: string): Promise<number> {
  let status = 0;
  for (let waited = 0; waited < 15_000; waited += 200) {
    status = (await fetch(`${url}/readyz`)).status;
    if (status === 200) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return status;
}

describe('DATABASE_URL', () => {
  it.each(['postgres://bot:pw@db.internal:5432/gbac', 'postgresql://db.internal/gbac?sslmode=require', 'postgres:///gbac?host=/var/run/postgresql'])(
    'when it is %s, then it is accepted',
    (url) => {
      expect(loadConfig({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
    },
  );

  it.each(['mysql://bot:hunter2@db/gbac', 'not a url', 'postgres://'])('when it is %j, then start-up stops with one line naming it, never echoing it', (url) => {
    expect(() => loadConfig({ DATABASE_URL: url })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: url })).toThrow(/^Configuration error: DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL$/);
  });

  it('when it is empty, then SQLite is used', () => {
    expect(loadConfig({ DATABASE_URL: '', SQLITE_PATH: ':memory:' }).DATABASE_URL).toBeUndefined();
  });

  it('when the store is described for the log, then the password is not in it', () => {
    expect(describeStore(loadConfig({ DATABASE_URL: 'postgres://bot:hunter2@db.internal:5432/gbac' }))).toBe('postgresql://db.internal:5432/gbac');
  });
});

describe('createStores', () => {
  const logger = createLogger('silent');

  it('when DATABASE_URL is unset, then every store is SQLite and ready', async () => {
    const stores = createStores(loadConfig({ SQLITE_PATH: ':memory:' }), logger);
    try {
      expect(stores.kind).toBe('sqlite');
      expect(stores.db).toBeDefined();
      expect(await stores.ready()).toBe(true);
      await stores.optOuts.optOut('sms', '+16175550111');
      expect(await stores.optOuts.isOptedOut('sms', '+16175550111')).toBe(true);
      expect((await stores.takeovers.start('r1', 'webchat', 'c1', 'maria')).ok).toBe(true);
      expect(await stores.takeovers.liveRequestIds()).toEqual(new Set(['r1']));
    } finally {
      await stores.close();
    }
    expect(await stores.ready()).toBe(false);
  });

  it('when DATABASE_URL is set, then every store is PostgreSQL, ready, and shared with another instance', async () => {
    const config = loadConfig({ DATABASE_URL: schema().url });
    const [a, b] = [createStores(config, logger), createStores(config, logger)];
    try {
      expect(a.kind).toBe('postgresql');
      expect(a.db).toBeUndefined();
      expect(await a.ready()).toBe(true);
      await a.storage.write({ 'webchat/conversations/shared': { n: 1 } });
      expect((await b.storage.read(['webchat/conversations/shared']))['webchat/conversations/shared']).toMatchObject({ n: 1 });
      const r = await a.handoffs.create({ reason: 'fallback', priority: 'normal', channel: 'webchat', conversationId: 'shared', conversationReference: {} });
      expect(await b.handoffs.get(r.id)).toMatchObject({ reference: r.reference, status: 'open' });
      // Live chat, console sessions and the alert outbox are shared too, not kept per instance.
      await a.takeovers.start(r.id, 'webchat', 'shared', 'maria');
      expect(await b.takeovers.liveFor('webchat', 'shared')).toMatchObject({ requestId: r.id, staff: 'maria' });
      await a.staffSessions.revoke('sid-shared', new Date(Date.now() + 60_000));
      expect(await b.staffSessions.isRevoked('sid-shared')).toBe(true);
      await a.alertOutbox.enqueue({ eventId: 'e-shared', target: 'webhook', requestId: r.id, reference: r.reference, event: 'created', payload: '{}' });
      expect(await b.alertOutbox.deliveriesFor(r.id)).toEqual([expect.objectContaining({ eventId: 'e-shared', status: 'pending' })]);
      a.unanswered?.record({ text: 'is there a sauna', channel: 'webchat' });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    // close() flushed the buffered question before closing the pool.
    const rows = await withAdmin((c) => c.query(`SELECT text FROM ${schema().schema}.unanswered WHERE text = 'is there a sauna'`));
    expect(rows.rowCount).toBe(1);
    expect(await a.ready()).toBe(false);
  });
});

// Starting the service loads and trains the knowledge base (seconds each), so these tests share
// three instances and run in order: A talks to PostgreSQL directly, B through a relay the tests
// switch off and on, A2 is A restarted.
describe('the service on PostgreSQL', () => {
  const STARTUP_MS = 120_000;
  const IOP = /3(–| to |-)5 (treatment )?days/i;
  let relay: PgRelay;
  let a: { app: App; url: string };
  let b: { app: App; url: string };

  beforeAll(async () => {
    relay = new PgRelay(await freePort());
    a = await start({ DATABASE_URL: schema().url });
    // B starts while its database is unreachable; short timeouts keep the outage tests brief.
    const app = createApp(loadConfig({ DATABASE_URL: relay.url(schema().schema), LOG_LEVEL: 'silent' }), {
      stores: { pgTuning: { connectionTimeoutMillis: 1000, statementTimeoutMillis: 2000, queryTimeoutMillis: 3000 } },
    });
    b = { app, url: await app.listen(0, '127.0.0.1') };
  }, STARTUP_MS);

  afterAll(async () => {
    await Promise.all([a.app.close(), b.app.close()]);
    await relay.stop();
  });

  it('when PostgreSQL is down at start-up, then the service starts and apologises politely, and answers once the database is back', async () => {
    expect((await fetch(`${b.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${b.url}/readyz`)).status).toBe(503);
    const down = await say(b.url, 'how many days a week is iop', 'outage-1');
    expect(down.status).toBe(200);
    expect(texts(down)).toMatch(APOLOGY);

    await relay.start();
    expect(await whenReady(b.url)).toBe(200);
    expect(texts(await say(b.url, 'how many days a week is iop', 'outage-1'))).toMatch(IOP);
  });

  it('when a number texts STOP to one instance, then another instance sends it nothing until START', async () => {
    const sms = { channelId: 'sms', from: { id: '+16175550177' } };
    expect(texts(await say(a.url, 'STOP', 'sms-1', sms))).not.toBe('');
    expect((await say(b.url, 'how many days a week is iop', 'sms-1', sms)).activities).toEqual([]);
    expect(texts(await say(b.url, 'START', 'sms-1', sms))).not.toBe('');
    expect(texts(await say(a.url, 'how many days a week is iop', 'sms-1', sms))).toMatch(IOP);
  });

  it('when the database drops every connection or goes silent, then turns fail politely, never hang, and the service recovers', async () => {
    // A database restart: every pooled connection is cut, new ones are refused.
    await relay.stop();
    expect(texts(await say(b.url, 'how many days a week is iop', 'outage-2'))).toMatch(APOLOGY);
    expect((await fetch(`${b.url}/readyz`)).status).toBe(503);
    // A lost network: connections are accepted and nothing ever comes back.
    await relay.start('black-hole');
    expect(texts(await say(b.url, 'how many days a week is iop', 'outage-2'))).toMatch(APOLOGY);
    expect((await fetch(`${b.url}/readyz`)).status).toBe(503);

    await relay.stop();
    await relay.start();
    expect(await whenReady(b.url)).toBe(200);
    expect(texts(await say(b.url, 'how many days a week is iop', 'outage-2'))).toMatch(IOP);
  });

  it('when a visitor says "forget me", then their state is gone from PostgreSQL', async () => {
    const key = 'webchat/conversations/forget-1';
    const count = () => withAdmin(async (c) => (await c.query(`SELECT 1 FROM ${schema().schema}.state WHERE key = $1`, [key])).rowCount);
    await say(a.url, 'which program is right for me', 'forget-1');
    expect(await count()).toBe(1);
    await say(a.url, 'forget me', 'forget-1');
    expect(await count()).toBe(0);
  });

  it(
    'when a visitor is mid-screening and the service restarts, then the next answer continues the same screening',
    async () => {
      expect((await fetch(`${a.url}/readyz`)).status).toBe(200);
      expect(texts(await say(a.url, 'which program is right for me', 'restart-1'))).toMatch(/not a diagnosis/i);
      await say(a.url, 'yes', 'restart-1');
      await stop(a.app);

      a = await start({ DATABASE_URL: schema().url });
      expect(texts(await say(a.url, 'alcohol', 'restart-1'))).toMatch(/how often/i);
    },
    STARTUP_MS,
  );
});
