import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SqliteHandoffStore } from '../../../src/core/handoff/sqliteHandoffStore';
import { SqliteLiveTakeoverStore, SqliteStaffSessionStore } from '../../../src/core/handoff/sqliteLiveTakeoverStore';
import { openDatabase } from '../../../src/core/storage/database';

describe('SqliteLiveTakeoverStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gbac-live-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when a takeover starts on one instance, then another instance sharing the database sees the conversation live', async () => {
    const file = path.join(dir, 'live.sqlite');
    const one = new SqliteLiveTakeoverStore(openDatabase(file));
    const two = new SqliteLiveTakeoverStore(openDatabase(file));
    expect((await one.start('r1', 'webchat', 'c1', 'maria')).ok).toBe(true);
    expect(await two.liveFor('webchat', 'c1')).toMatchObject({ requestId: 'r1', staff: 'maria' });
    await two.end('r1', 'maria');
    expect(await one.liveFor('webchat', 'c1')).toBeUndefined();
  });

  it('when a second request of the same conversation goes live, then it is refused and names who has it', async () => {
    const store = new SqliteLiveTakeoverStore(openDatabase(':memory:'));
    await store.start('r1', 'webchat', 'c1', 'maria');
    expect(await store.start('r2', 'webchat', 'c1', 'devon')).toEqual({ ok: false, reason: 'conversation-live', staff: 'maria' });
    await store.end('r1', 'maria');
    expect((await store.start('r2', 'webchat', 'c1', 'devon')).ok).toBe(true);
  });

  it('when a takeover ends and starts again, then it is live again with the new staff member', async () => {
    const store = new SqliteLiveTakeoverStore(openDatabase(':memory:'));
    await store.start('r1', 'webchat', 'c1', 'maria');
    expect(await store.end('r1', 'maria')).toMatchObject({ endedBy: 'maria' });
    expect(await store.end('r1', 'maria')).toBeUndefined();
    await store.start('r1', 'webchat', 'c1', 'devon');
    expect(await store.get('r1')).toMatchObject({ staff: 'devon', endedAt: undefined });
    expect(await store.liveRequestIds()).toEqual(new Set(['r1']));
  });

  it('when more lines than the limit arrive, then only the newest are kept, in order, and polls see only what is new', async () => {
    const store = new SqliteLiveTakeoverStore(openDatabase(':memory:'));
    for (let i = 1; i <= 8; i++) await store.append({ requestId: 'r1', from: 'visitor', text: `line ${i}` }, 5);
    const kept = await store.messages('r1');
    expect(kept.map((m) => m.text)).toEqual(['line 4', 'line 5', 'line 6', 'line 7', 'line 8']);
    expect((await store.messages('r1', kept[2]!.seq)).map((m) => m.text)).toEqual(['line 7', 'line 8']);
    expect(await store.messages('other')).toEqual([]);
  });

  it('when a line is very long, then it is cut with a mark', async () => {
    const store = new SqliteLiveTakeoverStore(openDatabase(':memory:'));
    const line = await store.append({ requestId: 'r1', from: 'visitor', text: 'x'.repeat(5000) });
    expect(line.text).toHaveLength(2001);
    expect(line.text.endsWith('…')).toBe(true);
  });

  it('when retention runs, then transcripts of long-ended takeovers and of purged requests go, and live ones stay', async () => {
    const db = openDatabase(':memory:');
    const requests = new SqliteHandoffStore(db);
    const store = new SqliteLiveTakeoverStore(db);
    const kept = await requests.create({ reason: 'asked-for-person', priority: 'normal', channel: 'webchat', conversationId: 'live', conversationReference: {} });
    await store.start(kept.id, 'webchat', 'live', 'maria');
    await store.append({ requestId: kept.id, from: 'visitor', text: 'still here' });
    await store.start('ended', 'webchat', 'old', 'maria');
    await store.append({ requestId: 'ended', from: 'visitor', text: 'old line' });
    await store.end('ended', 'maria');
    await store.append({ requestId: 'orphan', from: 'visitor', text: 'request purged' });
    const removed = await store.purgeEndedBefore(new Date(Date.now() + 1000));
    expect(removed).toBe(2);
    expect((await store.messages(kept.id)).map((m) => m.text)).toEqual(['still here']);
    expect(await store.get('ended')).toBeUndefined();
  });

  it('when a visitor asks to be forgotten, then their takeovers and transcript are deleted', async () => {
    const store = new SqliteLiveTakeoverStore(openDatabase(':memory:'));
    await store.start('r1', 'sms', '+16175550123', 'maria');
    await store.append({ requestId: 'r1', from: 'visitor', text: 'my number is 617 555 0123' });
    expect(await store.deleteConversation('sms', '+16175550123')).toBe(1);
    expect(await store.messages('r1')).toEqual([]);
    expect(await store.liveFor('sms', '+16175550123')).toBeUndefined();
  });
});

describe('SqliteStaffSessionStore', () => {
  it('when a staff member was seen recently, then someone is online until they log out', async () => {
    const store = new SqliteStaffSessionStore(openDatabase(':memory:'));
    const fiveMinutesAgo = new Date(Date.now() - 5 * 60_000);
    expect(await store.anyoneSeenSince(fiveMinutesAgo)).toBe(false);
    await store.seen('maria', new Date(Date.now() - 10 * 60_000));
    expect(await store.anyoneSeenSince(fiveMinutesAgo)).toBe(false);
    await store.seen('maria');
    expect(await store.anyoneSeenSince(fiveMinutesAgo)).toBe(true);
    await store.gone('maria');
    expect(await store.anyoneSeenSince(fiveMinutesAgo)).toBe(false);
  });

  it('when a session is revoked, then it stays revoked and expired revocations are cleaned up', async () => {
    const db = openDatabase(':memory:');
    const store = new SqliteStaffSessionStore(db);
    await store.revoke('old', new Date(Date.now() - 1000));
    await store.revoke('sid-1', new Date(Date.now() + 60_000));
    expect(await store.isRevoked('sid-1')).toBe(true);
    expect(await store.isRevoked('sid-2')).toBe(false);
    expect(await store.isRevoked('old')).toBe(false);
  });
});
