import type { HandoffStore } from '../../handoff/handoffRequest';
import type { Purger } from '../../retention';
import type { PgDatabase } from './pgDatabase';

/** The same retention as the embedded store's (see sqliteRetention.ts), in PostgreSQL. */
export function pgPurgers(pg: PgDatabase, handoffs: HandoffStore): Purger[] {
  return [
    { name: 'conversation-state', purge: async (cutoff) => (await pg.query('DELETE FROM state WHERE updated_at < $1', [cutoff])).rowCount ?? 0 },
    { name: 'unanswered-log', purge: async (cutoff) => (await pg.query('DELETE FROM unanswered WHERE created_at < $1', [cutoff])).rowCount ?? 0 },
    { name: 'handoff-requests', purge: (cutoff) => handoffs.purgeClosedBefore(cutoff) },
  ];
}
