import { HandoffService, type HandoffEvent } from '../../../src/core/handoff/handoffService';
import type { NewHandoffRequest } from '../../../src/core/handoff/handoffRequest';
import { STORE_KINDS, useSharedStores } from '../../helpers/sharedStores';
import { fullRequest } from './helpers';

/** A normal request of conversation c1 on webchat, with everything a visitor may give. */
const request = (overrides: Partial<NewHandoffRequest> = {}) => fullRequest({ priority: 'normal', conversationId: 'c1', ...overrides });

describe.each(STORE_KINDS)('HandoffStore (%s): contact preferences and withdrawal', (kind) => {
  const instance = useSharedStores(kind);

  it('when a request carries contact preferences, then another instance reads them back as given', async () => {
    const created = await instance().handoffs.create(request({ contactPreferences: ['no-texts', 'discreet'] }));
    const read = await instance().handoffs.get(created.id);
    expect(read?.contactPreferences).toEqual(['no-texts', 'discreet']);
    expect(read).toEqual(created);
    expect((await instance().handoffs.listActive())[0]?.contactPreferences).toEqual(['no-texts', 'discreet']);
  });

  it('when a request has no contact preferences (as every request stored before them), then it loads with none', async () => {
    const created = await instance().handoffs.create(request());
    const read = await instance().handoffs.get(created.id);
    expect(read).toMatchObject({ id: created.id, name: 'Sam Rivera', status: 'open' });
    expect(read?.contactPreferences).toBeUndefined();
  });

  it('when the visitor withdraws, then only their unclaimed requests close as withdrawn, audited as the visitor, and leave the queue', async () => {
    const { handoffs } = instance();
    const open = await handoffs.create(request());
    const claimed = await handoffs.create(request());
    await handoffs.claim(claimed.id, 'maria');
    const resolved = await handoffs.create(request());
    await handoffs.claim(resolved.id, 'maria');
    await handoffs.resolve(resolved.id, 'maria');
    const someoneElse = await handoffs.create(request({ conversationId: 'c2' }));

    const withdrawn = await instance().handoffs.withdraw('webchat', 'c1');
    expect(withdrawn.map((r) => [r.id, r.status])).toEqual([[open.id, 'withdrawn']]);
    expect((await handoffs.get(claimed.id))?.status).toBe('claimed');
    expect((await handoffs.get(resolved.id))?.status).toBe('resolved');
    expect((await handoffs.listActive()).map((r) => r.id).sort()).toEqual([claimed.id, someoneElse.id].sort());
    expect((await handoffs.audit(open.id)).map((a) => `${a.actor}:${a.action}`)).toEqual(['bot:created', 'visitor:withdrawn']);
    // Nothing left to withdraw: nothing changes, nothing more is audited.
    expect(await handoffs.withdraw('webchat', 'c1')).toEqual([]);
    expect(await handoffs.audit(open.id)).toHaveLength(2);
  });

  it('when the visitor withdraws one request by its reference, then their other open request stays', async () => {
    const { handoffs } = instance();
    const first = await handoffs.create(request());
    const second = await handoffs.create(request());
    expect((await handoffs.withdraw('webchat', 'c1', second.reference)).map((r) => r.id)).toEqual([second.id]);
    expect((await handoffs.get(first.id))?.status).toBe('open');
    // Another conversation's reference withdraws nothing.
    expect(await handoffs.withdraw('webchat', 'c2', first.reference)).toEqual([]);
  });

  it('when a request was withdrawn, then staff cannot reopen or claim it, and retention purges it like a closed one', async () => {
    const { handoffs } = instance();
    const r = await handoffs.create(request());
    await handoffs.withdraw('webchat', 'c1');
    expect(await handoffs.reopen(r.id, 'devon')).toBe(false);
    expect(await handoffs.claim(r.id, 'devon')).toEqual({ ok: false, claimedBy: undefined, status: 'withdrawn' });
    expect(await handoffs.purgeClosedBefore(new Date(Date.now() + 1000))).toBe(1);
    expect(await handoffs.get(r.id)).toBeUndefined();
  });

  it('when the visitor cancels through the service, then staff hear "withdrawn" from the visitor for each request that changed', async () => {
    const service = new HandoffService(instance().handoffs);
    const events: HandoffEvent[] = [];
    service.addNotifier({ notify: (e) => events.push(e) });
    const r = await service.create(request({ contactPreferences: ['text-only'] }));
    const cancelled = await service.cancelByVisitor('webchat', 'c1', ` ${r.reference.toLowerCase()} `);
    expect(cancelled.map((x) => x.id)).toEqual([r.id]);
    expect(events.map((e) => [e.type, e.actor, e.request.id])).toEqual([
      ['created', 'bot', r.id],
      ['withdrawn', 'visitor', r.id],
    ]);
    expect(events[1]).toMatchObject({ request: { status: 'withdrawn', contactPreferences: ['text-only'] } });
    expect(await service.cancelByVisitor('webchat', 'c1')).toEqual([]);
    expect(events).toHaveLength(2);
  });
});
