import { CHANNEL_KEY } from '../../src/channels/teamsAlerts';
import { HandoffService } from '../../src/core/handoff/handoffService';
import { SqliteHandoffStore } from '../../src/core/handoff/sqliteHandoffStore';
import { RetentionJob } from '../../src/core/retention';
import { openDatabase } from '../../src/core/storage/database';
import { sqlitePurgers } from '../../src/core/storage/sqliteRetention';
import { SqliteStorage } from '../../src/core/storage/sqliteStorage';
import { SqliteUnansweredLog } from '../../src/core/storage/unansweredLog';

const DAY = 86_400_000;

function setup() {
  const db = openDatabase(':memory:');
  const storage = new SqliteStorage(db);
  const handoffs = new HandoffService(new SqliteHandoffStore(db));
  return { db, storage, handoffs, purgers: sqlitePurgers(db, storage, handoffs.store) };
}

describe('RetentionJob over the embedded store', () => {
  it('when data is older than the retention period, then conversation state, logged questions and closed requests are purged and recent data stays', async () => {
    const { db, storage, handoffs, purgers } = setup();
    await storage.write({ 'old-conversation': { answers: { substance: 'alcohol' } }, 'new-conversation': { answers: {} } });
    db.prepare("UPDATE state SET updated_at = ? WHERE key = 'old-conversation'").run(Date.now() - 40 * DAY);
    const log = new SqliteUnansweredLog(db);
    log.record({ text: 'old question', channel: 'webchat', at: new Date(Date.now() - 40 * DAY) });
    log.record({ text: 'new question', channel: 'webchat' });
    log.flush();
    const closed = await handoffs.create({ reason: 'fallback', priority: 'normal', channel: 'webchat', conversationId: 'a', conversationReference: {} });
    await handoffs.resolve(closed.id, 'maria');
    db.prepare('UPDATE handoff_request SET updated_at = ? WHERE id = ?').run(Date.now() - 40 * DAY, closed.id);
    const open = await handoffs.create({ reason: 'fallback', priority: 'normal', channel: 'webchat', conversationId: 'b', conversationReference: {} });
    db.prepare('UPDATE handoff_request SET updated_at = ? WHERE id = ?').run(Date.now() - 40 * DAY, open.id);

    const report = await new RetentionJob(purgers, 30 * DAY).runOnce();

    expect(report.purged).toEqual({ 'conversation-state': 1, 'unanswered-log': 1, 'unanswered-marks': 0, 'handoff-requests': 1 });
    expect(Object.keys(await storage.read(['old-conversation', 'new-conversation']))).toEqual(['new-conversation']);
    expect(log.top(10).map((q) => q.example)).toEqual(['new question']);
    expect(await handoffs.store.get(open.id)).toBeDefined();
  });

  it('when the Teams alert channel was stored longer ago than the retention period, then it stays (it is no visitor data)', async () => {
    const { db, storage, purgers } = setup();
    await storage.write({ [CHANNEL_KEY]: { conversation: { id: '19:staff' } }, 'webchat/conversations/old': { answers: {} } });
    db.prepare('UPDATE state SET updated_at = ?').run(Date.now() - 400 * DAY);

    const report = await new RetentionJob(purgers, 30 * DAY).runOnce();

    expect(report.purged['conversation-state']).toBe(1);
    expect(Object.keys(await storage.read([CHANNEL_KEY, 'webchat/conversations/old']))).toEqual([CHANNEL_KEY]);
  });

  it('when one purger fails, then the others still run and the failure is reported', async () => {
    const seen: string[] = [];
    const job = new RetentionJob(
      [
        { name: 'broken', purge: async () => { throw new Error('disk I/O error'); } },
        { name: 'fine', purge: async () => { seen.push('fine'); return 2; } },
      ],
      DAY,
    );
    const report = await job.runOnce();
    expect(report.failed).toEqual({ broken: 'disk I/O error' });
    expect(report.purged).toEqual({ fine: 2 });
    expect(seen).toEqual(['fine']);
  });

  it('when the purgers are done, then the after-purge step runs (emptying the WAL), and its failure is reported with the rest', async () => {
    const order: string[] = [];
    const purger = { name: 'rows', purge: async () => { order.push('purge'); return 1; } };
    await new RetentionJob([purger], DAY, { afterPurge: async () => { order.push('after'); } }).runOnce();
    expect(order).toEqual(['purge', 'after']);
    const report = await new RetentionJob([purger], DAY, { afterPurge: async () => { throw new Error('database is locked'); } }).runOnce();
    expect(report).toMatchObject({ purged: { rows: 1 }, failed: { 'erase-deleted': 'database is locked' } });
  });

  it('when started, then it runs at once and again on its schedule', async () => {
    jest.useFakeTimers();
    try {
      let runs = 0;
      const job = new RetentionJob([{ name: 'count', purge: async () => ++runs }], DAY);
      job.start(60_000);
      await jest.advanceTimersByTimeAsync(0);
      expect(runs).toBe(1);
      await jest.advanceTimersByTimeAsync(3 * 60_000);
      expect(runs).toBe(4);
      job.stop();
      await jest.advanceTimersByTimeAsync(5 * 60_000);
      expect(runs).toBe(4);
    } finally {
      jest.useRealTimers();
    }
  });
});
