import { combine, percentile, type PhaseResult } from '../../scripts/lib/benchDriver';
import {
  checkTargets,
  compareReports,
  describeMachine,
  fmt,
  loadNote,
  parseLevels,
  parseReport,
  parseReportOptions,
  redactUrl,
  renderReport,
  type CellResult,
  type ReportData,
} from '../../scripts/lib/benchReport';

const phase = (turnsPerSecond: number, p99: number, errors = 0) => ({ turns: 1500, errors, turnsPerSecond, p50: p99 / 3, p99, timedOut: false });

function cell(store: CellResult['store'], instances: number, concurrency: number, full: number, echo: number, fullP99 = 20): CellResult {
  return { store, instances, concurrency, full: phase(full, fullP99), echo: phase(echo, 10), cpuFullUs: 900, cpuEchoUs: 400 };
}

function report(overrides: Partial<ReportData> = {}): ReportData {
  return {
    version: 1,
    machine: describeMachine({
      cpus: [{ model: 'AMD EPYC 7B13' }, { model: 'AMD  EPYC 7B13 ' }],
      totalmem: 8 * 1024 ** 3,
      nodeVersion: 'v20.20.2',
      platform: 'linux',
      release: '6.1.0',
      pgVersion: 'PostgreSQL 15.20 (Debian 15.20-0+deb12u1) on x86_64-pc-linux-gnu',
      date: new Date('2026-11-27T10:00:00Z'),
      commit: 'abc1234',
      dirty: false,
    }),
    options: { levels: [1, 16, 64], turns: 1500, warmup: 200, rounds: 3, conversations: 10000, instancesConcurrency: 16, postgres: true, compiled: false },
    loadStart: [0.3, 0.2, 0.1],
    loadEnd: [0.9, 0.4, 0.2],
    durationSeconds: 185,
    cells: [cell('sqlite', 1, 1, 300, 400), cell('sqlite', 1, 16, 800, 1000), cell('postgresql', 1, 16, 500, 1000), cell('postgresql', 2, 16, 600, 1000, 35)],
    startup: [{ store: 'sqlite', label: 'fresh file', ms: 1800, createMs: 900 }],
    memory: { conversations: 10000, turns: 20000, errors: 0, seconds: 30, timedOut: false, rssStartBytes: 200 * 1024 ** 2, rssEndBytes: 260 * 1024 ** 2, heapEndBytes: 90 * 1024 ** 2, maxRssBytes: 270 * 1024 ** 2 },
    micro: { recognizerUs: 20, patternsUs: 12, classifierUs: 6, crisisUs: 19, trainMs: 700, messages: 198 },
    skipped: [],
    ...overrides,
  };
}

describe('bench report options', () => {
  it('when no flags are given, then the issue #7 defaults apply (1/16/64, PostgreSQL on, bench/RESULTS.md)', () => {
    const o = parseReportOptions({}, {});
    expect(o).toMatchObject({ levels: [1, 16, 64], turns: 1500, warmup: 200, rounds: 3, conversations: 10000, instancesConcurrency: 16, postgres: true, out: 'bench/RESULTS.md', compiled: false });
    expect(o.pgUrl).toBe('postgres://postgres@127.0.0.1:5432/test');
  });

  it('when flags and BENCH_DATABASE_URL are given, then they are used, levels sorted and deduplicated', () => {
    const o = parseReportOptions({ levels: '64, 1,16,1', turns: '300', conversations: '0', 'no-pg': true, out: '/tmp/r.md' }, { BENCH_DATABASE_URL: 'postgresql://u@db:5432/x' });
    expect(o).toMatchObject({ levels: [1, 16, 64], turns: 300, conversations: 0, postgres: false, out: '/tmp/r.md', pgUrl: 'postgresql://u@db:5432/x' });
  });

  it('when a number or the URL is bad, then the error names the flag', () => {
    expect(() => parseLevels('1,,16')).toThrow('--levels');
    expect(() => parseLevels('0')).toThrow('--levels must be a whole number from 1 to 1000');
    expect(() => parseReportOptions({ turns: '1.5' }, {})).toThrow('--turns');
    expect(() => parseReportOptions({ rounds: '' }, {})).toThrow('--rounds');
    expect(() => parseReportOptions({ 'pg-url': 'mysql://x' }, {})).toThrow('--pg-url');
  });

  it('when a URL carries a password, then only a redacted form is shown', () => {
    expect(redactUrl('postgres://bench:s3cret@db:5432/x')).toBe('postgres://bench:***@db:5432/x');
    expect(redactUrl('postgres://postgres@127.0.0.1:5432/test')).not.toContain('***');
  });
});

describe('machine description', () => {
  it('when the cores report the same model with odd spacing, then it is named once with the core count', () => {
    const m = report().machine;
    expect(m.cpuModel).toBe('AMD EPYC 7B13');
    expect(m.cpuCount).toBe(2);
    expect(m.os).toBe('linux 6.1.0');
    expect(m.date).toBe('2026-11-27T10:00:00.000Z');
    expect(m.commit).toBe('abc1234');
  });

  it('when the work tree has changes or git is missing, then the commit says so', () => {
    const base = { cpus: [], totalmem: 1, nodeVersion: 'v20', platform: 'linux', release: '6', date: new Date(0) };
    expect(describeMachine({ ...base, commit: 'abc1234', dirty: true }).commit).toBe('abc1234 (with uncommitted changes)');
    expect(describeMachine(base)).toMatchObject({ commit: 'unknown', cpuModel: 'unknown', cpuCount: 0 });
  });

  it('when the load average is above half the CPUs, then a warning gives it at the start and the end', () => {
    expect(loadNote([0.4, 0, 0], [0.9, 0, 0], 2)).toBeUndefined();
    const note = loadNote([3.59, 0, 0], [4.1, 0, 0], 2);
    expect(note).toContain('3.59 at the start and 4.10 at the end, on 2 CPUs');
  });
});

describe('targets', () => {
  it('when the cells meet the targets, then each is met, with the value shown', () => {
    const checks = checkTargets(report());
    expect(checks.map((c) => [c.name.split(':')[0], c.value, c.met])).toEqual([
      ['SQLite, 16 concurrent', '0.80×', true],
      ['PostgreSQL, 2 instances, 16 concurrent', '0.60×', true],
      ['PostgreSQL, 2 instances, 16 concurrent', '35.0 ms', true],
      ['failed turns (every phase)', '0', true],
      ['recognizer per message', '20.0 µs', true],
      ['crisis detector per message', '19.0 µs', true],
      ['crisis classifier training (a cold start; warm starts read it from the cache)', '700 ms', true],
    ]);
  });

  it('when a ratio or p99 falls short or a turn failed, then that target is not met', () => {
    const cells = [cell('sqlite', 1, 16, 690, 1000), cell('postgresql', 2, 16, 400, 1000, 80)];
    cells[0]!.full.errors = 2;
    const checks = checkTargets(report({ cells }));
    expect(checks.filter((c) => c.met === false).map((c) => c.value)).toEqual(['0.69×', '0.40×', '80.0 ms', '2']);
  });

  it('when PostgreSQL was not measured, then its targets say so instead of passing or failing', () => {
    const checks = checkTargets(report({ cells: [cell('sqlite', 1, 16, 800, 1000)], skipped: ['PostgreSQL (--no-pg)'] }));
    const pg = checks.filter((c) => c.name.startsWith('PostgreSQL'));
    expect(pg).toHaveLength(2);
    for (const c of pg) expect(c).toMatchObject({ value: 'not measured', met: undefined });
  });
});

describe('RESULTS.md', () => {
  it('when rendered, then it has the machine, the load, every cell, memory, start-up and the targets with their outcome', () => {
    const md = renderReport(report({ loadStart: [3.59, 4.3, 6.9], loadEnd: [4.12, 4.4, 6.5] }));
    expect(md).toContain('| CPU | AMD EPYC 7B13, 2 logical CPUs |');
    expect(md).toContain('| RAM | 8.0 GiB |');
    expect(md).toContain('| Node | v20.20.2 |');
    expect(md).toContain('| PostgreSQL | PostgreSQL 15.20');
    expect(md).toContain('| Commit | abc1234 |');
    expect(md).toContain('3.59 at the start, 4.12 at the end');
    expect(md).toContain('**The machine was busy:**');
    expect(md).toContain('| SQLite | 1 | 16 | 800.0 | 1000.0 | 0.80× | 6.7 / 20.0 | 3.3 / 10.0 | 900 / 400 | 1500 + 1500 | 0 |');
    expect(md).toContain('| PostgreSQL | 2 | 16 | 600.0 | 1000.0 | 0.60× |');
    expect(md).toContain('| 200.0 | 260.0 | 270.0 | 90.0 / - | - | 0 |');
    expect(md).toContain('| SQLite | fresh file | 1800 | 900 |');
    expect(md).toMatch(/\| PostgreSQL, 2 instances, 16 concurrent: full p99 \(#7\) \| 35\.0 ms \| < 50 ms \| yes \|/);
  });

  it('when the machine was quiet, then there is no load warning', () => {
    expect(renderReport(report())).not.toContain('The machine was busy');
  });

  it('when a phase was skipped, then the report says what and why', () => {
    const md = renderReport(report({ memory: undefined, skipped: ['memory (--conversations 0)'] }));
    expect(md).toContain('Not measured: memory (--conversations 0).');
    expect(md).toMatch(/## Memory\n\nNot measured in this run\./);
  });

  it('when a rendered report is parsed, then the same data comes back; other text gives undefined', () => {
    const data = report();
    expect(parseReport(renderReport(data))).toEqual(data);
    expect(parseReport('# Benchmark results\n\nno data')).toBeUndefined();
    expect(parseReport('<!-- bench-report-json\n{not json\n-->')).toBeUndefined();
  });

  it('when two runs are compared, then start-up, memory and each cell in both show then → now', () => {
    const before = report();
    const now = report({ cells: [cell('sqlite', 1, 16, 900, 1000), cell('postgresql', 1, 64, 100, 200)] });
    expect(compareReports(before, now)).toEqual([
      'start-up (SQLite, fresh file): 1800 → 1800 ms, of which building the app 900 → 900 ms',
      'RSS at start 200.0 → 200.0 MB; after 10,000 conversations 260.0 → 260.0 MB; heap used after GC 90.0 → 90.0 MB',
      'SQLite ×1 @16: full 800.0 → 900.0 turns/s, p99 20.0 → 20.0 ms, full/echo 0.80 → 0.90×, CPU 900 → 900 µs/turn',
    ]);
  });

  it('when a previous report is given, then the markdown compares start-up, memory and every cell in both with it', () => {
    const before = report({ startup: [{ store: 'sqlite', label: 'fresh file', ms: 3900, createMs: 2000 }] });
    const now = report({ startup: [{ store: 'sqlite', label: 'fresh file', ms: 2100, createMs: 700 }] });
    const md = renderReport(now, before);
    expect(md).toContain('## Compared with the previous report');
    expect(md).toContain('- start-up (SQLite, fresh file): 3900 → 2100 ms, of which building the app 2000 → 700 ms');
    expect(md).toMatch(/- RSS at start 200\.0 → 200\.0 MB; after 10,000 conversations 260\.0 → 260\.0 MB/);
    expect(renderReport(now)).not.toContain('## Compared with');
  });

  it('when a value is missing or not finite, then it prints as a dash', () => {
    expect(fmt(undefined, 1)).toBe('-');
    expect(fmt(NaN, 2)).toBe('-');
    expect(fmt(Infinity, 0)).toBe('-');
    expect(fmt(1.25, 1)).toBe('1.3');
  });
});

describe('bench driver arithmetic', () => {
  const run = (latencies: number[], seconds: number): PhaseResult => ({
    name: 'r',
    turns: latencies.length,
    errors: 1,
    seconds,
    turnsPerSecond: latencies.length / seconds,
    p50: NaN,
    p99: NaN,
    timedOut: false,
    latencies: [...latencies].sort((a, b) => a - b),
  });

  it('when percentiles are taken, then they are nearest-rank, and NaN for no samples', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('when rounds are combined, then turns, errors and time add up and percentiles cover every sample', () => {
    const all = combine('full', [run([1, 2, 3], 1), run([4, 5, 6, 7], 3)]);
    expect(all).toMatchObject({ turns: 7, errors: 2, seconds: 4, turnsPerSecond: 7 / 4, p50: 4, p99: 7, timedOut: false });
    expect(all.latencies).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
