import type { SqliteDatabase } from '../storage/database';

/** Numbers that texted STOP. Durable: an opt-out must survive restarts. */
export interface OptOutStore {
  isOptedOut(channel: string, address: string): Promise<boolean>;
  optOut(channel: string, address: string): Promise<void>;
  optIn(channel: string, address: string): Promise<void>;
}

/**
 * The table is the record; the set mirrors it so the check on every SMS turn
 * costs no query. The embedded store has one writing process, so the two agree.
 */
export class SqliteOptOutStore implements OptOutStore {
  private readonly insert;
  private readonly remove;
  private readonly optedOut = new Set<string>();
  constructor(db: SqliteDatabase) {
    this.insert = db.prepare('INSERT OR REPLACE INTO sms_opt_out (channel, address, opted_out_at) VALUES (?, ?, ?)');
    this.remove = db.prepare('DELETE FROM sms_opt_out WHERE channel = ? AND address = ?');
    for (const row of db.prepare<[], { channel: string; address: string }>('SELECT channel, address FROM sms_opt_out').iterate()) {
      this.optedOut.add(key(row.channel, row.address));
    }
  }
  async isOptedOut(channel: string, address: string): Promise<boolean> {
    return this.optedOut.has(key(channel, address));
  }
  async optOut(channel: string, address: string): Promise<void> {
    this.insert.run(channel, address, Date.now());
    this.optedOut.add(key(channel, address));
  }
  async optIn(channel: string, address: string): Promise<void> {
    this.remove.run(channel, address);
    this.optedOut.delete(key(channel, address));
  }
}

const key = (channel: string, address: string) => `${channel}\u0000${address}`;
