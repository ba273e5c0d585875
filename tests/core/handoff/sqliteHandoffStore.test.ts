import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { NewHandoffRequest } from '../../../src/core/handoff/handoffRequest';
import { SqliteAlertOutbox } from '../../../src/core/handoff/sqliteAlertOutbox';
import { SqliteHandoffStore } from '../../../src/core/handoff/sqliteHandoffStore';
import { openDatabase } from '../../../src/core/storage/database';

function request(overrides: Partial<NewHandoffRequest> = {}): NewHandoffRequest {
  return {
    reason: 'asked-for-person',
    priority: 'normal',
    channel: 'webchat',
    conversationId: 'c1',
    conversationReference: { conversation: { id: 'c1' } },
    name: 'Sam',
    phone: '+16175550123',
    ...overrides,
  };
}

describe('SqliteHandoffStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gbac-handoff-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when requests are created, then crisis ones come first and the rest oldest first', async () => {
    const store = new SqliteHandoffStore(openDatabase(':memory:'));
    const a = await store.create(request({ conversationId: 'a' }));
    const b = await store.create(request({ conversationId: 'b' }));
    const c = await store.create(request({ conversationId: 'c', priority: 'crisis', reason: 'crisis-follow-up' }));
    expect((await store.listActive()).map((r) => r.id)).toEqual([c.id, a.id, b.id]);
    expect(a.reference).toMatch(/^GB-[2-9A-HJ-NP-Z]{6}$/);
  });

  it('when a conversation with a queued request sends a crisis message, then only its active requests go to the top, audited once', async () => {
    const store = new SqliteHandoffStore(openDatabase(':memory:'));
    const older = await store.create(request({ conversationId: 'other' }));
    const mine = await store.create(request({ conversationId: 'mine' }));
    const resolved = await store.create(request({ conversationId: 'mine' }));
    await store.resolve(resolved.id, 'maria');
    const changed = await store.escalate('webchat', 'mine', 'crisis signal: suicide');
    expect(changed.map((r) => [r.id, r.priority])).toEqual([[mine.id, 'crisis']]);
    expect((await store.listActive()).map((r) => r.id)).toEqual([mine.id, older.id]);
    expect((await store.get(resolved.id))?.priority).toBe('normal');
    // Already at the top: nothing changes, nothing more is audited.
    expect(await store.escalate('webchat', 'mine', 'crisis signal: overdose')).toEqual([]);
    expect((await store.audit(mine.id)).map((a) => `${a.actor}:${a.action}:${a.detail ?? ''}`)).toEqual(['bot:created:asked-for-person', 'bot:escalated:crisis signal: suicide']);
  });

  it('when two staff members claim the same request at once, then exactly one wins and the other is told who has it', async () => {
    const file = path.join(dir, 'q.sqlite');
    const one = new SqliteHandoffStore(openDatabase(file));
    const two = new SqliteHandoffStore(openDatabase(file));
    const r = await one.create(request());
    const results = await Promise.all([one.claim(r.id, 'maria'), two.claim(r.id, 'devon')]);
    expect(results.filter((x) => x.ok)).toHaveLength(1);
    const loser = results.find((x) => !x.ok);
    expect(loser).toMatchObject({ ok: false, claimedBy: 'maria', status: 'claimed' });
  });

  it('when eight connections to one database file each try to claim, then only one succeeds', async () => {
    const file = path.join(dir, 'q.sqlite');
    const stores = Array.from({ length: 8 }, () => new SqliteHandoffStore(openDatabase(file)));
    const r = await stores[0]!.create(request());
    const results = await Promise.all(stores.map((s, i) => Promise.resolve().then(() => s.claim(r.id, `staff-${i}`))));
    expect(results.filter((x) => x.ok)).toHaveLength(1);
  });

  it('when a request is claimed, noted, resolved and reopened, then every step is audited', async () => {
    const store = new SqliteHandoffStore(openDatabase(':memory:'));
    const r = await store.create(request());
    await store.claim(r.id, 'maria');
    await store.addNote(r.id, 'maria', 'left a voicemail');
    expect(await store.resolve(r.id, 'maria')).toBe(true);
    expect(await store.reopen(r.id, 'devon')).toBe(true);
    expect(await store.get(r.id)).toMatchObject({ status: 'open', claimedBy: undefined });
    expect((await store.audit(r.id)).map((a) => `${a.actor}:${a.action}`)).toEqual(['bot:created', 'maria:claimed', 'maria:note', 'maria:resolved', 'devon:reopened']);
  });

  it('when the service restarts with open requests, then they are all still there', async () => {
    const file = path.join(dir, 'q.sqlite');
    const db = openDatabase(file);
    const before = new SqliteHandoffStore(db);
    await before.create(request({ conversationId: 'x' }));
    await before.create(request({ conversationId: 'y', priority: 'crisis' }));
    db.close();
    expect(await new SqliteHandoffStore(openDatabase(file)).listActive()).toHaveLength(2);
  });

  it('when retention runs, then only closed requests older than the cut-off are purged', async () => {
    const store = new SqliteHandoffStore(openDatabase(':memory:'));
    const closed = await store.create(request({ conversationId: 'old' }));
    await store.resolve(closed.id, 'maria');
    const open = await store.create(request({ conversationId: 'new' }));
    expect(await store.purgeClosedBefore(new Date(Date.now() + 1000))).toBe(1);
    expect(await store.get(closed.id)).toBeUndefined();
    expect(await store.get(open.id)).toBeDefined();
  });

  it('when a visitor says "forget me", then their requests are deleted and only the fact of deletion is audited', async () => {
    const store = new SqliteHandoffStore(openDatabase(':memory:'));
    const mine = await store.create(request({ conversationId: 'me' }));
    await store.create(request({ conversationId: 'someone-else' }));
    expect(await store.deleteConversation('webchat', 'me')).toEqual([{ id: mine.id, reference: mine.reference }]);
    expect(await store.get(mine.id)).toBeUndefined();
    expect(await store.listActive()).toHaveLength(1);
    expect(await store.audit(mine.id)).toEqual([expect.objectContaining({ action: 'deleted', actor: 'visitor' })]);
    expect(JSON.stringify(await store.audit(mine.id))).not.toContain('6175550123');
  });

  it('when a visitor says "forget me" while an alert about them is still pending, then the alert is deleted too', async () => {
    const db = openDatabase(':memory:');
    const store = new SqliteHandoffStore(db);
    const outbox = new SqliteAlertOutbox(db);
    const mine = await store.create(request({ conversationId: 'me' }));
    await outbox.enqueue({ eventId: 'e1', target: 'webhook', requestId: mine.id, reference: mine.reference, event: 'created', payload: '{"firstName":"Sam"}' });
    await store.deleteConversation('webchat', 'me');
    expect(await outbox.deliveriesFor(mine.id)).toEqual([]);
  });
});
