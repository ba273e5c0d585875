import type { AlertTarget, NewOutboxItem } from '../../../src/core/handoff/alertOutbox';
import { STORE_KINDS, useSharedStores } from '../../helpers/sharedStores';

let n = 0;
function item(requestId: string, event: NewOutboxItem['event'] = 'created', target: AlertTarget = 'webhook'): NewOutboxItem {
  return { eventId: `e${++n}`, target, requestId, reference: `REF-${requestId}`, event, payload: '{"firstName":"Sam"}' };
}

const LEASE_MS = 60_000;

describe.each(STORE_KINDS)('AlertOutbox (%s)', (kind) => {
  const instance = useSharedStores(kind);

  it('when items are leased, then they come oldest first, one per request, and hidden until the lease ends', async () => {
    const outbox = instance().outbox;
    await outbox.enqueue(item('r1', 'created'));
    await outbox.enqueue(item('r1', 'claimed'));
    await outbox.enqueue(item('r2', 'created'));
    await outbox.enqueue(item('r3', 'created', 'teams'));
    const now = Date.now() + 10;
    const leased = await outbox.lease('webhook', now, 10, now + LEASE_MS);
    expect(leased.map((i) => [i.requestId, i.event, i.attempts, i.payload])).toEqual([
      ['r1', 'created', 0, '{"firstName":"Sam"}'],
      ['r2', 'created', 0, '{"firstName":"Sam"}'],
    ]);
    expect(await outbox.lease('webhook', now, 10, now + LEASE_MS)).toEqual([]);
    // Came back after the lease ran out (the process died mid-delivery).
    expect((await outbox.lease('webhook', now + LEASE_MS, 10, now + 2 * LEASE_MS)).map((i) => i.requestId)).toEqual(['r1', 'r2']);
  });

  it('when an event of a request is delivered, then the next one of that request becomes due', async () => {
    const outbox = instance().outbox;
    await outbox.enqueue(item('r1', 'created'));
    await outbox.enqueue(item('r1', 'claimed'));
    const now = Date.now() + 10;
    const [first] = await outbox.lease('webhook', now, 10, now + LEASE_MS);
    expect(await outbox.nextDueAt('webhook')).toBe(now + LEASE_MS);
    await outbox.delivered(first!.seq, 1, now);
    expect(await outbox.nextDueAt('webhook')).toBeLessThanOrEqual(now);
    expect((await outbox.lease('webhook', now, 10, now + LEASE_MS)).map((i) => i.event)).toEqual(['claimed']);
  });

  it('when the same event is enqueued twice, then it is kept once', async () => {
    const outbox = instance().outbox;
    const once = item('r1');
    await outbox.enqueue(once);
    await outbox.enqueue(once);
    expect(await outbox.deliveriesFor('r1')).toHaveLength(1);
  });

  it('when nothing is pending, then there is no next due time', async () => {
    const outbox = instance().outbox;
    expect(await outbox.nextDueAt('webhook')).toBeUndefined();
    await outbox.enqueue(item('r1', 'created', 'teams'));
    expect(await outbox.nextDueAt('webhook')).toBeUndefined();
    expect(await outbox.nextDueAt('teams')).toEqual(expect.any(Number));
  });

  it('when an attempt fails, then the item waits until its retry time with the error recorded', async () => {
    const outbox = instance().outbox;
    await outbox.enqueue(item('r1'));
    const now = Date.now() + 10;
    const [leased] = await outbox.lease('webhook', now, 1, now + LEASE_MS);
    await outbox.retryAt(leased!.seq, 1, now + 5000, 'HTTP 503');
    expect(await outbox.nextDueAt('webhook')).toBe(now + 5000);
    expect(await outbox.lease('webhook', now + 4999, 10, now + LEASE_MS)).toEqual([]);
    expect(await outbox.lease('webhook', now + 5000, 10, now + LEASE_MS)).toEqual([expect.objectContaining({ seq: leased!.seq, attempts: 1 })]);
    expect(await outbox.deliveriesFor('r1')).toEqual([expect.objectContaining({ status: 'pending', attempts: 1, lastError: 'HTTP 503' })]);
  });

  it('when an alert is given up on, then it is listed as a failure, newest first, and no longer due', async () => {
    const outbox = instance().outbox;
    await outbox.enqueue(item('r1'));
    await outbox.enqueue(item('r2'));
    const now = Date.now() + 10;
    const [a, b] = await outbox.lease('webhook', now, 10, now + LEASE_MS);
    await outbox.failed(a!.seq, 4, 'timeout after 10000 ms', now);
    await outbox.failed(b!.seq, 4, 'x'.repeat(1000), now + 1);
    const failures = await outbox.recentFailures();
    expect(failures.map((f) => [f.requestId, f.status, f.attempts, f.reference])).toEqual([
      ['r2', 'failed', 4, 'REF-r2'],
      ['r1', 'failed', 4, 'REF-r1'],
    ]);
    expect(failures[0]?.lastError).toHaveLength(300);
    expect(await outbox.recentFailures(1)).toHaveLength(1);
    expect(await outbox.nextDueAt('webhook')).toBeUndefined();
  });

  it('when a leased item is released at shutdown, then it is due again at once without counting an attempt', async () => {
    const outbox = instance().outbox;
    await outbox.enqueue(item('r1'));
    const now = Date.now() + 10;
    const [leased] = await outbox.lease('webhook', now, 1, now + LEASE_MS);
    await outbox.release(leased!.seq, now);
    expect(await outbox.lease('webhook', now, 1, now + LEASE_MS)).toEqual([expect.objectContaining({ seq: leased!.seq, attempts: 0 })]);
  });

  it('when retention runs, then finished alerts before the cut-off go and pending ones stay', async () => {
    const outbox = instance().outbox;
    await outbox.enqueue(item('r1'));
    await outbox.enqueue(item('r2'));
    await outbox.enqueue(item('r3'));
    const now = Date.now() + 10;
    const [a, b] = await outbox.lease('webhook', now, 2, now + LEASE_MS);
    await outbox.delivered(a!.seq, 1, now - 10_000);
    await outbox.failed(b!.seq, 2, 'HTTP 500', now - 10_000);
    expect(await outbox.purgeFinishedBefore(new Date(now - 5000))).toBe(2);
    expect(await outbox.deliveriesFor('r1')).toEqual([]);
    expect(await outbox.deliveriesFor('r3')).toEqual([expect.objectContaining({ status: 'pending' })]);
  });

  it('when a visitor asks to be forgotten, then their queued alerts go with their requests', async () => {
    const { outbox, handoffs } = instance();
    const mine = await handoffs.create({ reason: 'asked-for-person', priority: 'normal', channel: 'webchat', conversationId: 'forget', conversationReference: {} });
    const other = await handoffs.create({ reason: 'asked-for-person', priority: 'normal', channel: 'webchat', conversationId: 'keep', conversationReference: {} });
    await outbox.enqueue(item(mine.id));
    await outbox.enqueue(item(other.id));
    expect(await handoffs.deleteConversation('webchat', 'forget')).toEqual([{ id: mine.id, reference: mine.reference }]);
    expect(await outbox.deliveriesFor(mine.id)).toEqual([]);
    expect(await outbox.deliveriesFor(other.id)).toHaveLength(1);
  });

  it('when two instances lease at once, then no item is taken twice and each request stays in order', async () => {
    const [one, two] = [instance().outbox, instance().outbox];
    for (let r = 1; r <= 20; r++) {
      await one.enqueue(item(`r${r}`, 'created'));
      await one.enqueue(item(`r${r}`, 'claimed'));
    }
    const now = Date.now() + 10;
    const taken: number[] = [];
    const events = new Map<string, string[]>();
    // Several rounds: each round both instances lease together, then deliver what they got.
    for (let round = 0; round < 6; round++) {
      const batches = await Promise.all([one.lease('webhook', now, 7, now + LEASE_MS), two.lease('webhook', now, 7, now + LEASE_MS), one.lease('webhook', now, 7, now + LEASE_MS)]);
      const leased = batches.flat();
      taken.push(...leased.map((i) => i.seq));
      for (const i of leased) events.set(i.requestId, [...(events.get(i.requestId) ?? []), i.event]);
      await Promise.all(leased.map((i, k) => (k % 2 ? one : two).delivered(i.seq, 1, now)));
    }
    expect(new Set(taken).size).toBe(taken.length);
    expect(taken).toHaveLength(40);
    for (const e of events.values()) expect(e).toEqual(['created', 'claimed']);
  });
});
