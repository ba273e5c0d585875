import type { NewHandoffRequest } from '../../../../src/core/handoff/handoffRequest';
import { PgDatabase } from '../../../../src/core/storage/postgres/pgDatabase';
import { PgHandoffStore } from '../../../../src/core/storage/postgres/pgHandoffStore';
import { usePgSchema, withAdmin } from '../../../helpers/pg';

const schema = usePgSchema('handoff');
let dbs: PgDatabase[] = [];

/** The queue as one instance of the service has it: its own pool on the shared database. */
function instance(): PgHandoffStore {
  const db = new PgDatabase(schema().url);
  dbs.push(db);
  return new PgHandoffStore(db);
}

afterEach(async () => {
  await Promise.all(dbs.map((d) => d.close()));
  dbs = [];
});

// Each test gets its own channel, so they share the schema without seeing each other's requests.
let n = 0;
let channel = '';
beforeEach(() => {
  channel = `webchat-${++n}`;
});

function request(overrides: Partial<NewHandoffRequest> = {}): NewHandoffRequest {
  return {
    reason: 'asked-for-person',
    priority: 'normal',
    channel,
    conversationId: 'c1',
    conversationReference: { conversation: { id: 'c1' } },
    name: 'Sam',
    phone: '+16175550123',
    ...overrides,
  };
}

const mine = <T extends { channel: string }>(list: T[]) => list.filter((r) => r.channel === channel);

describe('PgHandoffStore', () => {
  it('when requests are created, then crisis ones come first, the rest oldest first, each with a readable reference', async () => {
    const store = instance();
    const a = await store.create(request({ conversationId: 'a' }));
    const b = await store.create(request({ conversationId: 'b' }));
    const c = await store.create(request({ conversationId: 'c', priority: 'crisis', reason: 'crisis-follow-up' }));
    expect(mine(await store.listActive()).map((r) => r.id)).toEqual([c.id, a.id, b.id]);
    expect(a.reference).toMatch(/^GB-[2-9A-HJ-NP-Z]{6}$/);
    expect(await instance().get(a.id)).toEqual(a);
  });

  it('when a conversation with a queued request sends a crisis message on one instance, then the other lists it first, audited once', async () => {
    const store = instance();
    const older = await store.create(request({ conversationId: 'other' }));
    const mine = await store.create(request({ conversationId: 'mine' }));
    const claimed = await store.create(request({ conversationId: 'mine' }));
    await store.claim(claimed.id, 'maria');
    const changed = await store.escalate(channel, 'mine', 'crisis signal: overdose');
    expect(changed.map((r) => r.id).sort()).toEqual([mine.id, claimed.id].sort());
    expect(changed.every((r) => r.priority === 'crisis')).toBe(true);
    // Both escalated requests now come before the older normal one (between themselves, oldest first;
    // created in the same millisecond they may tie, so their mutual order is not asserted).
    const listed = (await instance().listActive()).filter((r) => r.channel === channel).map((r) => r.id);
    expect(listed.slice(0, 2).sort()).toEqual([mine.id, claimed.id].sort());
    expect(listed[2]).toBe(older.id);
    expect(await store.escalate(channel, 'mine', 'crisis signal: overdose')).toEqual([]);
    expect((await store.audit(mine.id)).map((a) => `${a.action}:${a.detail ?? ''}`)).toEqual(['created:asked-for-person', 'escalated:crisis signal: overdose']);
  });

  it('when eight staff on two instances claim the same request at once, then exactly one wins and the others learn who has it', async () => {
    const stores = [instance(), instance()];
    const r = await stores[0]!.create(request());
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => stores[i % 2]!.claim(r.id, `staff-${i}`)));
    const winners = results.filter((x) => x.ok);
    expect(winners).toHaveLength(1);
    const winner = winners[0]!.ok ? winners[0]!.request.claimedBy : undefined;
    expect(winner).toMatch(/^staff-\d$/);
    for (const loser of results.filter((x) => !x.ok)) expect(loser).toEqual({ ok: false, claimedBy: winner, status: 'claimed' });
    expect((await stores[1]!.audit(r.id)).filter((e) => e.action === 'claimed')).toEqual([expect.objectContaining({ actor: winner })]);
  });

  it('when a request that does not exist is claimed, then the claim fails without a status', async () => {
    expect(await instance().claim('no-such-id', 'maria')).toEqual({ ok: false, claimedBy: undefined, status: undefined });
  });

  it('when a request is claimed, noted, resolved and reopened, then every step is audited in order', async () => {
    const store = instance();
    const r = await store.create(request());
    const claim = await store.claim(r.id, 'maria');
    expect(claim).toMatchObject({ ok: true, request: { status: 'claimed', claimedBy: 'maria', claimedAt: expect.any(String) } });
    await store.addNote(r.id, 'maria', 'left a voicemail');
    expect(await store.resolve(r.id, 'maria')).toBe(true);
    expect(await store.resolve(r.id, 'maria')).toBe(false);
    expect(await store.reopen(r.id, 'devon')).toBe(true);
    expect(await store.get(r.id)).toMatchObject({ status: 'open', claimedBy: undefined, claimedAt: undefined });
    const audit = await instance().audit(r.id);
    expect(audit.map((a) => `${a.actor}:${a.action}`)).toEqual(['bot:created', 'maria:claimed', 'maria:note', 'maria:resolved', 'devon:reopened']);
    expect(audit[0]).toMatchObject({ requestId: r.id, detail: 'asked-for-person' });
    expect(audit[2]).toMatchObject({ detail: 'left a voicemail' });
  });

  it('when the service restarts with open requests, then they are all still there', async () => {
    const before = instance();
    await before.create(request({ conversationId: 'x' }));
    await before.create(request({ conversationId: 'y', priority: 'crisis' }));
    await Promise.all(dbs.map((d) => d.close()));
    expect(mine(await instance().listActive()).map((r) => r.conversationId)).toEqual(['y', 'x']);
  });

  it('when retention runs, then only closed requests older than the cut-off are purged, with their audit', async () => {
    const store = instance();
    const closed = await store.create(request({ conversationId: 'old' }));
    await store.resolve(closed.id, 'maria');
    const open = await store.create(request({ conversationId: 'new' }));
    expect(await store.purgeClosedBefore(new Date(Date.now() + 1000))).toBe(1);
    expect(await store.get(closed.id)).toBeUndefined();
    expect(await store.audit(closed.id)).toEqual([]);
    expect(await store.get(open.id)).toBeDefined();
    expect(await store.purgeClosedBefore(new Date(Date.now() - 60_000))).toBe(0);
  });

  it('when a visitor says "forget me", then their requests are deleted and only the fact of deletion is audited', async () => {
    const store = instance();
    const gone = await store.create(request({ conversationId: 'me' }));
    await store.claim(gone.id, 'maria');
    await store.create(request({ conversationId: 'someone-else' }));
    expect(await store.deleteConversation(channel, 'me')).toEqual([{ id: gone.id, reference: gone.reference }]);
    expect(await store.get(gone.id)).toBeUndefined();
    expect(mine(await store.listActive())).toHaveLength(1);
    expect(await store.audit(gone.id)).toEqual([expect.objectContaining({ action: 'deleted', actor: 'visitor', detail: 'forget me' })]);
    const leftovers = await withAdmin((c) => c.query(`SELECT * FROM ${schema().schema}.handoff_audit WHERE request_id = $1`, [gone.id]));
    expect(JSON.stringify(leftovers.rows)).not.toMatch(/6175550123|Sam/);
  });
});
