import { CHANNEL_KEY } from '../../../../src/channels/teamsAlerts';
import { RetentionJob } from '../../../../src/core/retention';
import { PgDatabase } from '../../../../src/core/storage/postgres/pgDatabase';
import { PgHandoffStore } from '../../../../src/core/storage/postgres/pgHandoffStore';
import { pgPurgers } from '../../../../src/core/storage/postgres/pgRetention';
import { PgStorage } from '../../../../src/core/storage/postgres/pgStorage';
import { usePgSchema } from '../../../helpers/pg';

const schema = usePgSchema('retention');
const DAY = 86_400_000;

describe('retention in PostgreSQL', () => {
  it('when data is past retention, then old state, old logged questions and old closed requests go and the rest stays', async () => {
    const db = new PgDatabase(schema().url);
    try {
      const storage = new PgStorage(db);
      const handoffs = new PgHandoffStore(db);
      await storage.write({ old: { answers: { substance: 'alcohol' } }, recent: { answers: {} }, [CHANNEL_KEY]: { conversation: { id: '19:staff' } } });
      await db.query("UPDATE state SET updated_at = now() - interval '40 days' WHERE key <> 'recent'");
      await db.query("INSERT INTO unanswered (text, normalized, channel, created_at) VALUES ('old q', 'old q', 'webchat', now() - interval '40 days'), ('new q', 'new q', 'webchat', now())");
      const closed = await handoffs.create({ reason: 'fallback', priority: 'normal', channel: 'webchat', conversationId: 'a', conversationReference: {} });
      await handoffs.resolve(closed.id, 'maria');
      await db.query("UPDATE handoff_request SET updated_at = now() - interval '40 days'");
      const open = await handoffs.create({ reason: 'fallback', priority: 'normal', channel: 'webchat', conversationId: 'b', conversationReference: {} });

      const report = await new RetentionJob(pgPurgers(db, handoffs), 30 * DAY).runOnce();

      expect(report.purged).toEqual({ 'conversation-state': 1, 'unanswered-log': 1, 'unanswered-marks': 0, 'handoff-requests': 1 });
      expect(Object.keys(await storage.read(['old', 'recent']))).toEqual(['recent']);
      // The Teams alert channel is the service's setting, not a visitor's data: it stays.
      expect(Object.keys(await storage.read([CHANNEL_KEY]))).toEqual([CHANNEL_KEY]);
      expect((await db.query('SELECT text FROM unanswered')).rows).toEqual([{ text: 'new q' }]);
      expect(await handoffs.get(open.id)).toBeDefined();
    } finally {
      await db.close();
    }
  });
});
