import type { StaffSessionStore } from '../../handoff/liveTakeover';
import type { PgDatabase } from './pgDatabase';

/** Console presence and logged-out sessions in PostgreSQL: a logout on one instance holds on all of them. */
export class PgStaffSessionStore implements StaffSessionStore {
  constructor(private readonly db: PgDatabase) {}

  async seen(login: string, at = new Date()): Promise<void> {
    await this.db.query(
      'INSERT INTO staff_presence (login, seen_at) VALUES ($1, $2) ON CONFLICT (login) DO UPDATE SET seen_at = GREATEST(staff_presence.seen_at, excluded.seen_at)',
      [login, at],
    );
  }

  async anyoneSeenSince(cutoff: Date): Promise<boolean> {
    const { rows } = await this.db.query('SELECT 1 FROM staff_presence WHERE seen_at >= $1 LIMIT 1', [cutoff]);
    return rows.length > 0;
  }

  async gone(login: string): Promise<void> {
    await this.db.query('DELETE FROM staff_presence WHERE login = $1', [login]);
  }

  async revoke(sessionId: string, expiresAt: Date): Promise<void> {
    await this.db.transaction(async (client) => {
      await client.query('DELETE FROM staff_session_revoked WHERE expires_at < now()');
      await client.query(
        'INSERT INTO staff_session_revoked (session_id, expires_at) VALUES ($1, $2) ON CONFLICT (session_id) DO UPDATE SET expires_at = excluded.expires_at',
        [sessionId, expiresAt],
      );
    });
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    const { rows } = await this.db.query('SELECT 1 FROM staff_session_revoked WHERE session_id = $1', [sessionId]);
    return rows.length > 0;
  }
}
