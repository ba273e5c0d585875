import type { OptOutStore } from '../../sms/optOuts';
import type { PgDatabase } from './pgDatabase';

/**
 * SMS opt-outs in PostgreSQL. No in-memory mirror (unlike SQLite): the STOP may
 * have reached another instance, so every check asks the database (one
 * primary-key lookup per SMS turn).
 */
export class PgOptOutStore implements OptOutStore {
  constructor(private readonly db: PgDatabase) {}

  async isOptedOut(channel: string, address: string): Promise<boolean> {
    const { rows } = await this.db.query('SELECT 1 FROM sms_opt_out WHERE channel = $1 AND address = $2', [channel, address]);
    return rows.length > 0;
  }

  async optOut(channel: string, address: string): Promise<void> {
    await this.db.query(
      'INSERT INTO sms_opt_out (channel, address, opted_out_at) VALUES ($1, $2, now()) ON CONFLICT (channel, address) DO UPDATE SET opted_out_at = excluded.opted_out_at',
      [channel, address],
    );
  }

  async optIn(channel: string, address: string): Promise<void> {
    await this.db.query('DELETE FROM sms_opt_out WHERE channel = $1 AND address = $2', [channel, address]);
  }
}
