import nock from 'nock';
import { createApp, type App } from '../src/app';
import { loadConfig } from '../src/config';
import type { HandoffRequest } from '../src/core/handoff/handoffRequest';
import { settled } from './core/handoff/helpers';
import { startInstance, stopAll, waitForReadiness, type Instance } from './helpers/instances';
import { createSchema, freePort, PgRelay, withAdmin, type TestSchema } from './helpers/pg';
import { APOLOGY, CALLBACK_STEPS, callbackStep, REFERENCE, say, texts } from './helpers/visitor';

// Real service processes, a process killed with -9, a database cut off: slow on a loaded machine.
jest.setTimeout(120_000);

let schema: TestSchema;
beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
  schema = await createSchema('faults');
});
afterAll(async () => {
  await stopAll();
  await schema?.drop();
  nock.enableNetConnect();
});

/** The requests stored for a conversation, straight from the database. */
async function requestsOf(conversation: string): Promise<Array<HandoffRequest & { storedReference: string }>> {
  const { rows } = await withAdmin((c) => c.query<{ body: string; reference: string }>(`SELECT body, reference FROM ${schema.schema}.handoff_request WHERE conversation_id = $1`, [conversation]));
  return rows.map((r) => ({ ...(JSON.parse(r.body) as HandoffRequest), storedReference: r.reference }));
}

const CONSENT = CALLBACK_STEPS.findIndex((s) => s.step === 'consent');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What happened to one visitor's conversation. */
interface Visit {
  conversation: string;
  home: string;
  /** References the bot gave this visitor. */
  acknowledged: string[];
  /** The last step the visitor had seen when its instance vanished (-1: none yet); undefined if it never failed over. */
  failedOverAt?: number;
  /** The first reply (not an apology) from the survivor after the fail-over. */
  afterFailover?: string;
  apologies: number;
  /** A reply that is no step of the callback request. */
  unrecognised?: string;
}

describe('an instance killed with -9 under load', () => {
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    const env = { DATABASE_URL: schema.url };
    [a, b] = await Promise.all([startInstance('a', env), startInstance('b', env)]);
    expect(await waitForReadiness(a.url)).toBe(200);
    expect(await waitForReadiness(b.url)).toBe(200);
  });
  afterAll(() => stopAll());

  it('when one of two instances is killed in the middle of 20 callback requests, then every acknowledged request is in the database and its conversations go on, state intact, on the other', async () => {
    const VISITORS = 20;
    // A serves half the visitors (6 turns each); it dies once it has answered this many turns.
    const KILL_AFTER_A_REPLIES = 25;
    let aReplies = 0;
    let aInFlight = 0;
    let inFlightAtKill = 0;
    let aDead = false;
    let killing: Promise<void> | undefined;
    const kill = () => {
      if (aDead) return;
      aDead = true;
      inFlightAtKill = aInFlight;
      killing = a.kill9();
    };

    const visit = async (i: number): Promise<Visit> => {
      let target = i % 2 === 0 ? a : b; // sticky, as a load balancer with affinity
      const v: Visit = { conversation: `kill9-${i}`, home: target.name, acknowledged: [], apologies: 0 };
      let lastStep = -1;
      let text = 'talk to a person';
      for (let turn = 0; turn < 16; turn++) {
        await pause(Math.floor(Math.random() * 40)); // visitors think; so some are mid-turn at the kill, some not
        let reply: string;
        const onA = target === a;
        if (onA) aInFlight++;
        // Kill while turns are being served, so some die half-way (others find A gone on their next turn).
        if (onA && aReplies >= KILL_AFTER_A_REPLIES && aInFlight >= 3) setTimeout(kill, Math.floor(Math.random() * 5));
        try {
          const res = await say(target.url, v.conversation, text);
          expect(res.status).toBe(200);
          reply = texts(res);
        } catch (err) {
          // Only the killed instance may fail; its visitor sends the same answer to the survivor.
          if (!(onA && aDead)) throw err;
          target = b;
          v.failedOverAt = lastStep;
          continue;
        } finally {
          if (onA) aInFlight--;
        }
        if (onA && ++aReplies >= KILL_AFTER_A_REPLIES + 10) kill();
        if (APOLOGY.test(reply) && !REFERENCE.test(reply)) {
          v.apologies++; // a turn that failed cleanly: the visitor tries again
          continue;
        }
        if (v.failedOverAt !== undefined && v.afterFailover === undefined) v.afterFailover = reply;
        const reference = reply.match(REFERENCE)?.[0];
        if (reference) {
          v.acknowledged.push(reference);
          return v;
        }
        const step = callbackStep(reply);
        if (step < 0) {
          v.unrecognised = reply;
          return v;
        }
        lastStep = step;
        text = CALLBACK_STEPS[step]!.answer;
      }
      return v;
    };

    const visits = await Promise.all(Array.from({ length: VISITORS }, (_, i) => visit(i)));
    await killing;
    expect(aDead).toBe(true);
    expect((await fetch(`${b.url}/readyz`)).status).toBe(200);

    const failedOver = visits.filter((v) => v.failedOverAt !== undefined);
    const stored = new Map(await Promise.all(visits.map(async (v) => [v.conversation, await requestsOf(v.conversation)] as const)));
    const acknowledged = visits.flatMap((v) => v.acknowledged);
    if (process.env.FAULTS_VERBOSE) {
      console.log(
        JSON.stringify({
          acknowledged: acknowledged.length,
          inFlightAtKill,
          stored: [...stored.values()].flat().length,
          failedOver: failedOver.map((v) => ({ c: v.conversation, at: v.failedOverAt, next: callbackStep(v.afterFailover ?? ''), acks: v.acknowledged.length, stored: stored.get(v.conversation)?.length })),
          apologies: visits.reduce((n, v) => n + v.apologies, 0),
        }),
      );
    }

    // The kill came mid-conversation: A's visitors were part-way through and moved to B.
    expect(failedOver.length).toBeGreaterThan(0);
    expect(failedOver.every((v) => v.home === 'a')).toBe(true);
    expect(failedOver.some((v) => v.failedOverAt! >= 0 && v.failedOverAt! < CONSENT + 1)).toBe(true);

    // Every reference the bot gave is a stored request of that very conversation, with what the visitor gave.
    // (A visitor whose turn died with A re-sends it; if A had taken it, the survivor reads it as the answer
    // to the next question, e.g. the phone number as the best time: at-least-once, as any retry.)
    for (const v of visits) {
      for (const reference of v.acknowledged) {
        const request = stored.get(v.conversation)!.find((r) => r.storedReference === reference);
        expect(request).toMatchObject({ reference, phone: '+16175550123', status: 'open' });
        if (v.failedOverAt === undefined) expect(request).toMatchObject({ name: 'Sam', bestTime: 'Evening' });
      }
    }

    for (const v of visits) {
      const requests = stored.get(v.conversation)!;
      if (v.failedOverAt === undefined) {
        // Never touched by the kill: one request, acknowledged once.
        expect(v.unrecognised).toBeUndefined();
        expect(v.acknowledged).toHaveLength(1);
        expect(requests).toHaveLength(1);
        continue;
      }
      // State intact: the survivor carries on from the last step the visitor saw (or the one after,
      // if the killed instance had already taken the answer in flight); it never starts over.
      const next = callbackStep(v.afterFailover ?? '');
      if (next >= 0) {
        expect([v.failedOverAt! + 1, v.failedOverAt! + 2]).toContain(next);
        expect(v.acknowledged).toHaveLength(1);
        // At most one more than acknowledged: A committed the consent in flight but died before saving the state.
        expect(requests.length).toBeLessThanOrEqual(v.failedOverAt === CONSENT ? 2 : 1);
      } else {
        // The only other outcome: A committed the request (and the finished dialog) but the reply was lost.
        expect(v.failedOverAt).toBe(CONSENT);
        expect(v.acknowledged).toHaveLength(0);
        expect(requests).toHaveLength(1);
      }
    }
  });
});

describe('PostgreSQL briefly unreachable', () => {
  let relay: PgRelay;
  let c: Instance;

  beforeAll(async () => {
    relay = new PgRelay(await freePort());
    await relay.start();
    // The real service with its production timeouts, talking to PostgreSQL through the relay.
    c = await startInstance('c', { DATABASE_URL: relay.url(schema.schema) });
    expect(await waitForReadiness(c.url)).toBe(200);
  });
  afterAll(async () => {
    await stopAll();
    await relay?.stop();
  });

  /** Answer each callback question until the bot asks for consent. */
  const toConsent = async (conversation: string) => {
    for (let i = 0; i < CONSENT; i++) expect(callbackStep(texts(await say(c.url, conversation, CALLBACK_STEPS[i]!.answer)))).toBe(i + 1);
  };

  it('when the connection is cut, and then the database goes silent, in the middle of a callback request, then the visitor gets the apology with the admissions number (never a hang, never a reference), /readyz says 503, and once it is back the same request finishes', async () => {
    const conversation = 'outage-callback';
    expect(callbackStep(texts(await say(c.url, conversation, 'talk to a person')))).toBe(0);
    await toConsent(conversation);

    // A database restart: open connections cut, new ones refused.
    await relay.stop();
    const cut = await say(c.url, conversation, 'Yes, contact me');
    expect(cut.status).toBe(200);
    expect(texts(cut)).toMatch(APOLOGY);
    expect(texts(cut)).not.toMatch(REFERENCE);
    expect(await waitForReadiness(c.url, 503)).toBe(503);

    // A lost network: connections accepted, nothing ever answered.
    await relay.start('black-hole');
    const silent = await say(c.url, conversation, 'Yes, contact me');
    expect(texts(silent)).toMatch(APOLOGY);
    expect(texts(silent)).not.toMatch(REFERENCE);
    expect(await waitForReadiness(c.url, 503)).toBe(503);
    expect(await requestsOf(conversation)).toHaveLength(0);

    await relay.stop();
    await relay.start();
    expect(await waitForReadiness(c.url, 200)).toBe(200);
    // The conversation is still at the consent question: the failed turns changed nothing.
    const done = texts(await say(c.url, conversation, 'Yes, contact me'));
    const reference = done.match(REFERENCE)?.[0];
    expect(reference).toBeDefined();
    expect((await requestsOf(conversation)).map((r) => r.storedReference)).toEqual([reference]);
  });

  it('when open connections fall silent (a partition) mid-conversation, then turns fail politely within the query timeout, /readyz says 503, and the service recovers by itself', async () => {
    const conversation = 'outage-partition';
    expect(callbackStep(texts(await say(c.url, conversation, 'talk to a person')))).toBe(0);
    expect(callbackStep(texts(await say(c.url, conversation, 'Request a callback')))).toBe(1);

    relay.freeze();
    const frozen = await Promise.all([say(c.url, conversation, 'Sam'), say(c.url, 'outage-partition-other', 'how many days a week is iop')]);
    for (const res of frozen) {
      expect(res.status).toBe(200);
      expect(texts(res)).toMatch(APOLOGY);
    }
    expect(await waitForReadiness(c.url, 503)).toBe(503);

    // The network comes back: the stale connections are reset, new ones work.
    await relay.stop();
    await relay.start();
    expect(await waitForReadiness(c.url, 200)).toBe(200);
    expect(callbackStep(texts(await say(c.url, conversation, 'Sam')))).toBe(2);
  });
});

describe('staff alerts that fail during a visitor\'s callback request', () => {
  let app: App;
  let url: string;

  beforeAll(async () => {
    // In-process on PostgreSQL, so the alert log can be read; the webhook points at a port nobody listens on.
    const config = loadConfig({
      DATABASE_URL: schema.url,
      SQLITE_PATH: ':memory:',
      LOG_LEVEL: 'silent',
      HANDOFF_WEBHOOK_URL: `http://127.0.0.1:${await freePort()}/hook`,
      HANDOFF_WEBHOOK_SECRET: 'a-long-enough-secret',
      HANDOFF_WEBHOOK_MAX_ATTEMPTS: '2',
    });
    app = createApp(config, { alertTuning: { baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2000 } });
    url = await app.listen(0, '127.0.0.1');
    expect(await waitForReadiness(url)).toBe(200);
  });
  afterAll(() => app?.close());

  /** A whole callback request; what the bot said last. */
  const callback = async (conversation: string): Promise<string> => {
    let reply = texts(await say(url, conversation, 'talk to a person'));
    for (let i = 0; i <= CONSENT; i++) reply = texts(await say(url, conversation, CALLBACK_STEPS[i]!.answer));
    return reply;
  };

  it('when the webhook cannot be reached, then the visitor still gets the reference, and the failed alert is listed for the console', async () => {
    const reply = await callback('alerts-refused');
    const reference = reply.match(REFERENCE)?.[0];
    expect(reference).toBeDefined();
    const [request] = await requestsOf('alerts-refused');
    expect(request?.storedReference).toBe(reference);
    const deliveries = await settled(app.alerts, request!.id);
    expect(deliveries[0]).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('when the alert cannot even be queued, then the visitor still gets the reference', async () => {
    const outbox = app.alerts as unknown as { enqueue: () => Promise<void> };
    const enqueue = outbox.enqueue;
    outbox.enqueue = () => Promise.reject(new Error('disk full'));
    try {
      const reply = await callback('alerts-broken-outbox');
      expect(reply).toMatch(REFERENCE);
      expect(await requestsOf('alerts-broken-outbox')).toHaveLength(1);
    } finally {
      outbox.enqueue = enqueue;
    }
  });
});
