import type { SqliteDatabase } from '../storage/database';

/** Numbers that texted STOP. Durable: an opt-out must survive restarts. */
export interface OptOutStore {
  isOptedOut(channel: string, address: string): boolean;
  optOut(channel: string, address: string): void;
  optIn(channel: string, address: string): void;
}

export class SqliteOptOutStore implements OptOutStore {
  private readonly select;
  private readonly insert;
  private readonly remove;
  constructor(db: SqliteDatabase) {
    this.select = db.prepare<[string, string], { address: string }>('SELECT address FROM sms_opt_out WHERE channel = ? AND address = ?');
    this.insert = db.prepare('INSERT OR REPLACE INTO sms_opt_out (channel, address, opted_out_at) VALUES (?, ?, ?)');
    this.remove = db.prepare('DELETE FROM sms_opt_out WHERE channel = ? AND address = ?');
  }
  isOptedOut(channel: string, address: string): boolean {
    return this.select.get(channel, address) !== undefined;
  }
  optOut(channel: string, address: string): void {
    this.insert.run(channel, address, Date.now());
  }
  optIn(channel: string, address: string): void {
    this.remove.run(channel, address);
  }
}
