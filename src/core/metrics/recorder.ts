import type { Purger } from '../retention';
import { DayClock } from './days';
import { metricKeys, type MetricEvent } from './events';

/** One stored count: how many times `key` happened on `day` (YYYY-MM-DD). */
export interface MetricCount {
  day: string;
  key: string;
  count: number;
}

/** Where daily counts are kept (SQLite answers at once, PostgreSQL with promises; callers await either). */
export interface MetricsStore {
  /** Add these counts to the stored ones: one upsert per (day, key), all in one transaction. */
  add(counts: MetricCount[]): void | Promise<void>;
  /** Every stored count of the days from `from` to `to`, both included. */
  read(from: string, to: string): MetricCount[] | Promise<MetricCount[]>;
  /** Delete the days before `day`; resolves with how many rows went. */
  purgeBefore(day: string): number | Promise<number>;
}

export interface MetricsRecorderOptions {
  /** The days counts fall on, and the reports read (METRICS_TIME_ZONE). */
  timeZone?: string;
  /** How often the counts in memory are written. */
  flushMs?: number;
  /** A failed background write must never reach the visitor's turn; it is reported here (and retried at the next flush). */
  onError?: (err: Error) => void;
  now?: () => number;
}

/**
 * Counts events per day for the Reports page. A turn's count is a Map increment; the counts
 * are written every few seconds (one upsert per day and key) and at shutdown. A write that
 * fails puts its counts back, so the next one carries them. Counts are not the visitor's
 * record: a crash may lose the last few seconds of them.
 */
export class MetricsRecorder {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  /** The write in progress; flushes queue behind it so close() waits for everything. */
  private writing: Promise<void> = Promise.resolve();
  private readonly clock: DayClock;
  private readonly flushMs: number;
  private readonly onError: (err: Error) => void;
  private readonly now: () => number;

  constructor(
    private readonly store: MetricsStore,
    options: MetricsRecorderOptions = {},
  ) {
    this.clock = new DayClock(options.timeZone);
    this.flushMs = options.flushMs ?? 5000;
    this.onError = options.onError ?? (() => undefined);
    this.now = options.now ?? Date.now;
  }

  get timeZone(): string {
    return this.clock.timeZone;
  }

  /** Today, in the reports' time zone. */
  today(): string {
    return this.clock.dayOf(this.now());
  }

  /** One more of this event on `day` (today by default). Never throws, never waits. */
  count(event: MetricEvent, day = this.today()): void {
    for (const key of metricKeys(event)) {
      const slot = `${day} ${key}`;
      this.pending.set(slot, (this.pending.get(slot) ?? 0) + 1);
    }
    this.timer ??= setTimeout(() => this.flush().catch(this.onError), this.flushMs).unref();
  }

  /** Write what is counted in memory; resolves once every earlier write has finished too. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return this.writing;
    const taken = this.pending;
    this.pending = new Map();
    const counts = [...taken].map(([slot, count]) => ({ day: slot.slice(0, 10), key: slot.slice(11), count }));
    const write = this.writing.then(() => this.store.add(counts)).catch((err: Error) => {
      // All or nothing: put the counts back for the next flush.
      for (const [slot, count] of taken) this.pending.set(slot, (this.pending.get(slot) ?? 0) + count);
      throw err;
    });
    this.writing = write.catch(() => undefined);
    return write;
  }

  /** At shutdown, before the database closes: the last counts written (a failure is reported, not thrown). */
  async close(): Promise<void> {
    await this.flush().catch(this.onError);
  }

  /** The stored counts of a period, this process's latest included. */
  async read(from: string, to: string): Promise<MetricCount[]> {
    await this.flush().catch(this.onError);
    return this.store.read(from, to);
  }

  /** For the retention sweep: days older than `retentionDays` go (its own limit, not DATA_RETENTION_DAYS). */
  purger(retentionDays: number): Purger {
    return {
      name: 'metrics-daily',
      retentionMs: retentionDays * 86_400_000,
      purge: async (cutoff) => this.store.purgeBefore(this.clock.dayOf(cutoff.getTime())),
    };
  }
}
