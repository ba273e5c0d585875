import type { HandoffStore } from '../../handoff/handoffRequest';
import { SERVICE_STATE_PREFIX, type Purger } from '../../retention';
import { ORPHAN_MARKS_SQL } from '../unansweredReview';
import type { PgDatabase } from './pgDatabase';

/** The same retention as the embedded store's (see sqliteRetention.ts), in PostgreSQL. */
export function pgPurgers(pg: PgDatabase, handoffs: HandoffStore): Purger[] {
  return [
    {
      name: 'conversation-state',
      // The service's own settings are no visitor's data (SERVICE_STATE_PREFIX).
      purge: async (cutoff) =>
        (await pg.query('DELETE FROM state WHERE updated_at < $1 AND substr(key, 1, $2) <> $3', [cutoff, SERVICE_STATE_PREFIX.length, SERVICE_STATE_PREFIX])).rowCount ?? 0,
    },
    { name: 'unanswered-log', purge: async (cutoff) => (await pg.query('DELETE FROM unanswered WHERE created_at < $1', [cutoff])).rowCount ?? 0 },
    { name: 'unanswered-marks', purge: async (cutoff) => (await pg.query(`${ORPHAN_MARKS_SQL} OR marked_at < $1`, [cutoff])).rowCount ?? 0 },
    { name: 'handoff-requests', purge: (cutoff) => handoffs.purgeClosedBefore(cutoff) },
  ];
}
