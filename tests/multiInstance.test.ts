import nock from 'nock';
import { HandoffService } from '../src/core/handoff/handoffService';
import type { HandoffRequest } from '../src/core/handoff/handoffRequest';
import { PgDatabase } from '../src/core/storage/postgres/pgDatabase';
import { PgHandoffStore } from '../src/core/storage/postgres/pgHandoffStore';
import { startInstance, stopAll, waitForReadiness, type Instance } from './helpers/instances';
import { createSchema, withAdmin, type TestSchema } from './helpers/pg';
import { REFERENCE, say, texts } from './helpers/visitor';

// Two real service processes on one PostgreSQL schema; start-up is slow on a loaded machine.
jest.setTimeout(120_000);

/** A whole screening, answered in the visitor's own words, with what each answer must be stored as. */
const SCREENING: Array<{ say: string; then: RegExp; question?: string; choice?: string }> = [
  { say: 'which program is right for me', then: /not a diagnosis/i },
  { say: 'yes', then: /What are you .* using/ },
  { say: 'alcohol', then: /How often is it used/, question: 'substances', choice: 'alcohol' },
  { say: 'a few times a week', then: /shakes, sweats/, question: 'frequency', choice: 'weekly' },
  { say: 'no', then: /recently finished detox/, question: 'withdrawal', choice: 'no' },
  { say: 'no', then: /tried treatment before/, question: 'recent-care', choice: 'no' },
  { say: 'weekly therapy wasnt enough', then: /cravings or urges/, question: 'tried-before', choice: 'outpatient-not-enough' },
  { say: 'sometimes', then: /affecting work, school/, question: 'cravings', choice: 'sometimes' },
  { say: 'it is affecting my work', then: /depression, anxiety, PTSD/, question: 'daily-life', choice: 'some' },
  { say: 'no', then: /home safe and free of drugs/, question: 'mental-health', choice: 'no' },
  { say: 'mostly', then: /day or evening sessions/, question: 'home', choice: 'mostly' },
  { say: 'evenings', then: /Thank you for answering[\s\S]*not a diagnosis/, question: 'schedule', choice: 'evening' },
];

const CALLBACK: Array<{ say: string; then: RegExp }> = [
  { say: 'talk to a person', then: /I can ask\s+them to call you back/ },
  { say: 'Request a callback', then: /What first name/ },
  { say: 'my name is Riley', then: /Thanks, Riley. What US phone number/ },
  { say: '(617) 555-0142', then: /best time to reach you/ },
  { say: 'Evening', then: /OK for Greater Boston Addiction Centers admissions to call or text you\s+at \(617\) 555-0142/ },
  { say: 'Yes, contact me', then: /Thank you, Riley[\s\S]*reference number is GB-/ },
];

describe('two instances of the service on one PostgreSQL', () => {
  let schema: TestSchema;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
    schema = await createSchema('multi');
    const env = { DATABASE_URL: schema.url, DIRECTLINE_TOKEN_SECRET: 'a-shared-direct-line-secret-of-32-chars+' };
    // Both start at once: the migrations run under an advisory lock, so they must not collide.
    [a, b] = await Promise.all([startInstance('a', env), startInstance('b', env)]);
    expect(await waitForReadiness(a.url)).toBe(200);
    expect(await waitForReadiness(b.url)).toBe(200);
  });

  afterAll(async () => {
    await stopAll();
    await schema?.drop();
    nock.enableNetConnect();
  });

  let reference = '';
  const conversation = 'multi-instance-1';

  it('when one conversation alternates between the instances turn by turn, then the screening and the callback request end correctly with a reference', async () => {
    const served: string[] = [];
    let turn = 0;
    for (const step of [...SCREENING, ...CALLBACK]) {
      const instance = turn++ % 2 === 0 ? a : b;
      const res = await say(instance.url, conversation, step.say);
      served.push(instance.name);
      expect(res.status).toBe(200);
      reference = texts(res).match(REFERENCE)?.[0] ?? reference;
      // Each reply must follow from every earlier turn, whichever instance handled it.
      if (!step.then.test(texts(res))) throw new Error(`after "${step.say}" on ${instance.name}, expected ${step.then} but the bot said:\n${texts(res)}`);
    }
    expect(new Set(served)).toEqual(new Set(['a', 'b']));
    const last = await say(b.url, conversation, 'thanks');
    expect(texts(last)).not.toMatch(REFERENCE); // one request, acknowledged once
    expect(reference).toMatch(REFERENCE);
  });

  it('when the request is read from the database, then it carries the contact details and the whole screening: every answer, none lost', async () => {
    const rows = await withAdmin((c) => c.query<{ body: string; status: string; reference: string }>(`SELECT body, status, reference FROM ${schema.schema}.handoff_request WHERE conversation_id = $1`, [conversation]));
    expect(rows.rowCount).toBe(1);
    const request = JSON.parse(rows.rows[0]!.body) as HandoffRequest;
    expect(rows.rows[0]!.reference).toBe(reference);
    expect(rows.rows[0]!.status).toBe('open');
    expect(request).toMatchObject({ reason: 'screening-completed', name: 'Riley', phone: '+16175550142', bestTime: 'Evening', channel: 'webchat' });
    const expected = Object.fromEntries(SCREENING.filter((s) => s.question).map((s) => [s.question!, s.choice!]));
    expect(request.screening?.answers).toEqual(expected);
    expect(request.screening?.questionsAsked).toBe(Object.keys(expected).length);
    expect(request.screening?.reasons).toEqual(expect.arrayContaining(["weekly therapy or outpatient wasn't enough", 'your home is mostly supportive']));
    expect(request.screening?.level).toBeDefined();
  });

  it('when two staff claim it at the same moment through two separate connection pools, then exactly one wins and the other is told who has it', async () => {
    expect(reference).toMatch(REFERENCE);
    const pools = [new PgDatabase(schema.url), new PgDatabase(schema.url)];
    try {
      const [one, two] = pools.map((db) => new HandoffService(new PgHandoffStore(db)));
      // Connected and migrated first, so the two claims really race.
      expect(await Promise.all(pools.map((db) => db.ping(10_000)))).toEqual([true, true]);
      const [request] = (await one!.store.listActive()).filter((r) => r.reference === reference);
      expect(request).toBeDefined();

      const results = await Promise.all([one!.claim(request!.id, 'maria'), two!.claim(request!.id, 'devon')]);
      const winners = results.filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      const winner = winners[0]!.ok ? winners[0]!.request.claimedBy : undefined;
      expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, status: 'claimed', claimedBy: winner });
      expect((await two!.store.audit(request!.id)).filter((e) => e.action === 'claimed')).toHaveLength(1);

      // Many more races, the same rule each time.
      const more = await Promise.all(Array.from({ length: 20 }, (_, i) => one!.create({ reason: 'fallback', priority: 'normal', channel: 'webchat', conversationId: `race-${i}`, conversationReference: {} })));
      const raced = await Promise.all(more.map((r) => Promise.all([one!.claim(r.id, 'maria'), two!.claim(r.id, 'devon')])));
      for (const pair of raced) expect(pair.filter((r) => r.ok)).toHaveLength(1);
    } finally {
      await Promise.all(pools.map((db) => db.close()));
    }
  });
});
