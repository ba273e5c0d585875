/**
 * State rows under this key prefix are the service's own (where staff alerts go in Teams, the
 * ids of posted cards), not a visitor's: retention keeps them. Purging them silently stopped
 * Teams alerts DATA_RETENTION_DAYS after the bot was added to the staff channel.
 */
export const SERVICE_STATE_PREFIX = 'staff-alerts/';

/** One kind of stored data with a retention limit, and how to delete what is older. */
export interface Purger {
  name: string;
  /** Its own retention (the daily report counts are kept longer); otherwise the job's. */
  retentionMs?: number;
  /** Delete what was last touched before the cut-off; resolves with how many records went. */
  purge(cutoff: Date): Promise<number>;
}

export interface RetentionReport {
  at: string;
  cutoff: string;
  purged: Record<string, number>;
  failed: Record<string, string>;
}

/**
 * Deletes conversation data older than the retention period, at start-up and
 * then on a schedule. One purger failing does not stop the others; the next
 * run tries again. Timers are unref'd so they never keep the process alive.
 */
export interface RetentionOptions {
  onReport?: (report: RetentionReport) => void;
  /** After each purge, e.g. to empty the SQLite write-ahead log that still holds the purged rows. */
  afterPurge?: () => Promise<void>;
  now?: () => number;
}

export class RetentionJob {
  private timer?: NodeJS.Timeout;
  private running?: Promise<RetentionReport>;
  private readonly onReport: (report: RetentionReport) => void;
  private readonly afterPurge: () => Promise<void>;
  private readonly now: () => number;
  lastReport?: RetentionReport;

  constructor(
    private readonly purgers: Purger[],
    private readonly retentionMs: number,
    options: RetentionOptions = {},
  ) {
    this.onReport = options.onReport ?? (() => {});
    this.afterPurge = options.afterPurge ?? (async () => undefined);
    this.now = options.now ?? Date.now;
  }

  /** Run once now, then every `intervalMs`. */
  start(intervalMs: number): void {
    this.stop();
    void this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One purge of everything past retention (concurrent calls share one run). */
  runOnce(): Promise<RetentionReport> {
    this.running ??= this.purgeAll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Wait for a run in progress (at shutdown, before closing the database). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async purgeAll(): Promise<RetentionReport> {
    const cutoff = new Date(this.now() - this.retentionMs);
    const report: RetentionReport = { at: new Date(this.now()).toISOString(), cutoff: cutoff.toISOString(), purged: {}, failed: {} };
    for (const p of this.purgers) {
      try {
        report.purged[p.name] = await p.purge(p.retentionMs === undefined ? cutoff : new Date(this.now() - p.retentionMs));
      } catch (err) {
        report.failed[p.name] = (err as Error).message;
      }
    }
    try {
      await this.afterPurge();
    } catch (err) {
      report.failed['erase-deleted'] = (err as Error).message;
    }
    this.lastReport = report;
    this.onReport(report);
    return report;
  }
}
