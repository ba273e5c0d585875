import type { HandoffStore } from '../handoff/handoffRequest';
import { SERVICE_STATE_PREFIX, type Purger } from '../retention';
import type { SqliteDatabase } from './database';
import type { SqliteStorage } from './sqliteStorage';
import { ORPHAN_MARKS_SQL } from './unansweredReview';

/**
 * What the embedded store keeps past retention: conversation state (screening
 * answers) not touched since the cut-off, fallback questions logged before it,
 * and closed handoff requests. Open requests stay until staff close them.
 */
export function sqlitePurgers(db: SqliteDatabase, storage: SqliteStorage, handoffs: HandoffStore): Purger[] {
  // The service's own settings are no visitor's data (SERVICE_STATE_PREFIX).
  const state = db.prepare('DELETE FROM state WHERE updated_at < ? AND substr(key, 1, ?) <> ?');
  const unanswered = db.prepare('DELETE FROM unanswered WHERE created_at < ?');
  const marks = db.prepare(`${ORPHAN_MARKS_SQL} OR marked_at < ?`);
  return [
    {
      name: 'conversation-state',
      purge: async (cutoff) => {
        const n = state.run(cutoff.getTime(), SERVICE_STATE_PREFIX.length, SERVICE_STATE_PREFIX).changes;
        // The read cache may hold a purged conversation: it must not outlive its row.
        if (n > 0) storage.clearCache();
        return n;
      },
    },
    { name: 'unanswered-log', purge: async (cutoff) => unanswered.run(cutoff.getTime()).changes },
    // After the log: marks of groups it emptied, and marks as old as the rows they would be about.
    { name: 'unanswered-marks', purge: async (cutoff) => marks.run(cutoff.getTime()).changes },
    { name: 'handoff-requests', purge: (cutoff) => handoffs.purgeClosedBefore(cutoff) },
  ];
}
