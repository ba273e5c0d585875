/** Days as "YYYY-MM-DD", in the time zone the reports are read in. */

const DAY_MS = 86_400_000;
export const DAY_FORMAT = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day written YYYY-MM-DD ("2025-02-30" is not). */
export function isDay(value: string): boolean {
  if (!DAY_FORMAT.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** How many days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** Every day from `from` to `to`, both included. */
export function eachDay(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Whether a name is a time zone this runtime knows ("America/New_York", "UTC"). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * The day of a moment in a time zone. Formatting a date costs a few microseconds: the last
 * answer is kept for its minute (zones differ from UTC by whole minutes, so a day only
 * changes on a minute's edge), and a turn's count costs a comparison.
 */
export class DayClock {
  private readonly format: Intl.DateTimeFormat;
  private minute = Number.NaN;
  private day = '';

  constructor(readonly timeZone = 'UTC') {
    this.format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  dayOf(ms: number): string {
    const minute = Math.floor(ms / 60_000);
    if (minute === this.minute) return this.day;
    const parts = Object.fromEntries(this.format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
    this.minute = minute;
    this.day = `${parts.year}-${parts.month}-${parts.day}`;
    return this.day;
  }
}
