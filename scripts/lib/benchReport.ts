/**
 * The pure half of `npm run bench:report`: its options, the machine
 * description, the targets, and bench/RESULTS.md (rendered, and parsed back
 * from the JSON it carries so a later run can be compared with it).
 * No I/O here: scripts/bench-report.ts measures, this formats.
 */

// ---------------------------------------------------------------- options

export interface ReportOptions {
  /** Concurrent conversations per cell of the throughput matrix. */
  levels: number[];
  /** Turns per bot (full, echo) per cell, split over the rounds. */
  turns: number;
  /** Warm-up turns per bot per service start. */
  warmup: number;
  rounds: number;
  /** Short conversations in the memory phase; 0 skips it. */
  conversations: number;
  /** Concurrent conversations for the two-instance PostgreSQL cell. */
  instancesConcurrency: number;
  /** Measure PostgreSQL too. */
  postgres: boolean;
  /** The database the per-run schema is created in. */
  pgUrl: string;
  out: string;
  /** The services run from dist/ (npm run build) with plain node, as in production. */
  compiled: boolean;
}

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** The flags of report mode, for node:util parseArgs (merged with the default mode's). */
export const REPORT_OPTIONS = {
  report: { type: 'boolean' },
  levels: { type: 'string' },
  rounds: { type: 'string' },
  conversations: { type: 'string' },
  'instances-concurrency': { type: 'string' },
  'no-pg': { type: 'boolean' },
  'pg-url': { type: 'string' },
  out: { type: 'string' },
  compiled: { type: 'boolean' },
} as const;

export const REPORT_USAGE = `       npm run bench:report -- [--levels 1,16,64] [--turns 1500] [--warmup 200] [--rounds 3]
                               [--conversations 10000] [--instances-concurrency 16]
                               [--no-pg] [--pg-url postgres://…] [--out bench/RESULTS.md] [--compiled]
  --report writes bench/RESULTS.md: SQLite and PostgreSQL at each level against the echo bot,
  two PostgreSQL instances on one database, RSS after --conversations short visits (0 skips),
  start-up times and the component timings. --turns is per bot per cell. --compiled runs the
  services from dist/ (npm run build first) with plain node, as npm start does.`;

export interface ReportFlags {
  levels?: string;
  turns?: string;
  warmup?: string;
  rounds?: string;
  conversations?: string;
  'instances-concurrency'?: string;
  'no-pg'?: boolean;
  'pg-url'?: string;
  out?: string;
  compiled?: boolean;
}

function wholeNumber(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw.trim());
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  return n;
}

/** "1,16,64" → [1, 16, 64]: distinct, ascending, each 1…1000. */
export function parseLevels(raw: string): number[] {
  const parts = raw.split(',').map((s) => s.trim());
  if (parts.some((p) => p === '')) throw new Error(`--levels must be whole numbers separated by commas, e.g. 1,16,64 (got "${raw}")`);
  const levels = parts.map((p) => wholeNumber('levels', p, 0, 1, 1000));
  return [...new Set(levels)].sort((a, b) => a - b);
}

export function parseReportOptions(flags: ReportFlags, env: NodeJS.ProcessEnv = process.env): ReportOptions {
  const pgUrl = flags['pg-url'] ?? env.BENCH_DATABASE_URL ?? env.TEST_DATABASE_URL ?? DEFAULT_PG_URL;
  if (!/^postgres(?:ql)?:\/\//.test(pgUrl)) throw new Error(`--pg-url must be a postgres:// URL (got "${pgUrl}")`);
  return {
    levels: flags.levels === undefined ? [1, 16, 64] : parseLevels(flags.levels),
    turns: wholeNumber('turns', flags.turns, 1500, 1, 1_000_000),
    warmup: wholeNumber('warmup', flags.warmup, 200, 1, 1_000_000),
    rounds: wholeNumber('rounds', flags.rounds, 3, 1, 20),
    conversations: wholeNumber('conversations', flags.conversations, 10_000, 0, 1_000_000),
    instancesConcurrency: wholeNumber('instances-concurrency', flags['instances-concurrency'], 16, 1, 1000),
    postgres: !flags['no-pg'],
    pgUrl,
    out: flags.out ?? 'bench/RESULTS.md',
    compiled: Boolean(flags.compiled),
  };
}

/** The URL with any password replaced, for the report and the console. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

// ---------------------------------------------------------------- machine

export interface MachineInfo {
  cpuModel: string;
  cpuCount: number;
  totalMemBytes: number;
  node: string;
  os: string;
  postgres?: string;
  date: string;
  commit: string;
}

export interface MachineFacts {
  cpus: Array<{ model: string }>;
  totalmem: number;
  nodeVersion: string;
  platform: string;
  release: string;
  /** SELECT version(), if PostgreSQL was measured. */
  pgVersion?: string;
  date: Date;
  /** git rev-parse --short HEAD, if known. */
  commit?: string;
  /** git status --porcelain is not empty. */
  dirty?: boolean;
}

/** What the numbers were measured on, from os.*, process.version, git and PostgreSQL. */
export function describeMachine(f: MachineFacts): MachineInfo {
  // Hosts sometimes report a model per core with different spacing; the distinct models, in order.
  const models = [...new Set(f.cpus.map((c) => c.model.replace(/\s+/g, ' ').trim()).filter(Boolean))];
  return {
    cpuModel: models.length ? models.join(' + ') : 'unknown',
    cpuCount: f.cpus.length,
    totalMemBytes: f.totalmem,
    node: f.nodeVersion,
    os: `${f.platform} ${f.release}`,
    postgres: f.pgVersion,
    date: f.date.toISOString(),
    commit: f.commit ? `${f.commit}${f.dirty ? ' (with uncommitted changes)' : ''}` : 'unknown',
  };
}

/** [1, 5, 15]-minute load averages as os.loadavg() gives them. */
export type LoadAverage = number[];

/** A warning when other work ran on the machine: loaded cores make every number here worse. */
export function loadNote(start: LoadAverage, end: LoadAverage, cpuCount: number): string | undefined {
  const peak = Math.max(start[0] ?? 0, end[0] ?? 0);
  // The bench itself keeps about one core busy; more than half a core per CPU on top of that is other work.
  if (peak <= Math.max(1, cpuCount * 0.5)) return undefined;
  return (
    `**The machine was busy:** 1-minute load average ${fmt(start[0], 2)} at the start and ${fmt(end[0], 2)} at the end, on ${cpuCount} CPUs. ` +
    'Other work competed with the service and the load generator, so throughput and latency here are worse than on a quiet machine. ' +
    'Re-run `npm run bench:report` on a quiet machine before judging the targets.'
  );
}

// ---------------------------------------------------------------- results

export interface PhaseSummary {
  turns: number;
  errors: number;
  turnsPerSecond: number;
  p50: number;
  p99: number;
  timedOut: boolean;
}

export interface CellResult {
  store: 'sqlite' | 'postgresql';
  instances: number;
  concurrency: number;
  full: PhaseSummary;
  echo: PhaseSummary;
  /** The service processes' CPU time (user + system) per turn, µs. */
  cpuFullUs: number;
  cpuEchoUs: number;
}

export interface StartupSample {
  store: 'sqlite' | 'postgresql';
  /** e.g. "fresh file", "fresh schema (migrates)", "schema in place". */
  label: string;
  /** Fork → listening with a store that answers. */
  ms: number;
  /** Of which building the app in the service process. */
  createMs: number;
}

export interface MemoryResult {
  conversations: number;
  turns: number;
  errors: number;
  seconds: number;
  timedOut: boolean;
  rssStartBytes: number;
  rssEndBytes: number;
  heapEndBytes: number;
  /** The V8 heap reserved, and memory outside it (buffers, SQLite through better-sqlite3 is not counted here), after GC; absent in older reports. */
  heapTotalEndBytes?: number;
  externalEndBytes?: number;
  maxRssBytes: number;
}

export interface MicroResult {
  recognizerUs: number;
  patternsUs: number;
  classifierUs: number;
  crisisUs: number;
  trainMs: number;
  messages: number;
}

export interface ReportData {
  version: 1;
  machine: MachineInfo;
  options: Omit<ReportOptions, 'pgUrl' | 'out'>;
  loadStart: LoadAverage;
  loadEnd: LoadAverage;
  durationSeconds: number;
  cells: CellResult[];
  startup: StartupSample[];
  memory?: MemoryResult;
  micro?: MicroResult;
  /** What was not measured, and why. */
  skipped: string[];
}

export interface TargetCheck {
  name: string;
  value: string;
  goal: string;
  /** undefined: not measured in this run. */
  met?: boolean;
}

export const TARGETS = {
  /** Issue #2: full turns at least 0.7× echo at 16 concurrent on SQLite. */
  sqliteRatio: { concurrency: 16, ratio: 0.7 },
  /** Issue #7: two PostgreSQL instances on one database, 16 concurrent. */
  pgTwoInstances: { concurrency: 16, ratio: 0.5, p99Ms: 50 },
  recognizerUs: 500,
  crisisUs: 200,
  trainMs: 1500,
} as const;

export function findCell(cells: CellResult[], store: CellResult['store'], instances: number, concurrency: number): CellResult | undefined {
  return cells.find((c) => c.store === store && c.instances === instances && c.concurrency === concurrency);
}

export const ratioOf = (c: CellResult): number => c.full.turnsPerSecond / c.echo.turnsPerSecond;

/** Every target the issues set, with this run's value and whether it was met. */
export function checkTargets(d: ReportData): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const t = TARGETS;
  const sqlite = findCell(d.cells, 'sqlite', 1, t.sqliteRatio.concurrency);
  checks.push({
    name: `SQLite, ${t.sqliteRatio.concurrency} concurrent: full turns/s vs echo (#2)`,
    value: sqlite ? `${fmt(ratioOf(sqlite), 2)}×` : 'not measured',
    goal: `≥ ${t.sqliteRatio.ratio}×`,
    met: sqlite ? ratioOf(sqlite) >= t.sqliteRatio.ratio : undefined,
  });
  const pg2 = findCell(d.cells, 'postgresql', 2, t.pgTwoInstances.concurrency);
  checks.push({
    name: `PostgreSQL, 2 instances, ${t.pgTwoInstances.concurrency} concurrent: full turns/s vs echo (#7)`,
    value: pg2 ? `${fmt(ratioOf(pg2), 2)}×` : 'not measured',
    goal: `≥ ${t.pgTwoInstances.ratio}×`,
    met: pg2 ? ratioOf(pg2) >= t.pgTwoInstances.ratio : undefined,
  });
  checks.push({
    name: `PostgreSQL, 2 instances, ${t.pgTwoInstances.concurrency} concurrent: full p99 (#7)`,
    value: pg2 ? `${fmt(pg2.full.p99, 1)} ms` : 'not measured',
    goal: `< ${t.pgTwoInstances.p99Ms} ms`,
    met: pg2 ? pg2.full.p99 < t.pgTwoInstances.p99Ms : undefined,
  });
  const errors = d.cells.reduce((n, c) => n + c.full.errors + c.echo.errors, 0) + (d.memory?.errors ?? 0);
  checks.push({ name: 'failed turns (every phase)', value: String(errors), goal: '0', met: errors === 0 });
  const timedOut = d.cells.some((c) => c.full.timedOut || c.echo.timedOut) || Boolean(d.memory?.timedOut);
  if (timedOut) checks.push({ name: 'phases stopped at the time limit', value: 'some', goal: 'none', met: false });
  if (d.micro) {
    checks.push({ name: 'recognizer per message', value: `${fmt(d.micro.recognizerUs, 1)} µs`, goal: `< ${t.recognizerUs} µs`, met: d.micro.recognizerUs < t.recognizerUs });
    checks.push({ name: 'crisis detector per message', value: `${fmt(d.micro.crisisUs, 1)} µs`, goal: `< ${t.crisisUs} µs`, met: d.micro.crisisUs < t.crisisUs });
    checks.push({ name: 'crisis classifier training (a cold start; warm starts read it from the cache)', value: `${fmt(d.micro.trainMs, 0)} ms`, goal: `< ${t.trainMs} ms`, met: d.micro.trainMs < t.trainMs });
  }
  return checks;
}

// ---------------------------------------------------------------- formatting

/** A number with `digits` decimals, or "-" when there is none. */
export function fmt(n: number | undefined, digits: number): string {
  return n !== undefined && Number.isFinite(n) ? n.toFixed(digits) : '-';
}

export const mib = (bytes: number): string => fmt(bytes / (1024 * 1024), 1);

const storeName = (s: CellResult['store']) => (s === 'sqlite' ? 'SQLite' : 'PostgreSQL');
const metText = (met: boolean | undefined) => (met === undefined ? 'not measured' : met ? 'yes' : '**no**');

/** A Markdown table; pipes in cells are escaped. */
export function table(head: string[], rows: string[][], align: Array<'l' | 'r'> = []): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rule = head.map((_, i) => (align[i] === 'r' ? '---:' : '---'));
  return [head, rule, ...rows].map((r) => `| ${r.map(cell).join(' | ')} |`).join('\n') + '\n';
}

function duration(seconds: number): string {
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

const JSON_MARKER = 'bench-report-json';

/** bench/RESULTS.md: the machine, the targets, every number, and the data as JSON for the next run to compare with. */
/** The report as markdown; with `previous`, a section comparing this run with it (then → now). */
export function renderReport(d: ReportData, previous?: ReportData): string {
  const m = d.machine;
  const o = d.options;
  const out: string[] = [];
  out.push('# Benchmark results\n');
  out.push(
    'Written by `npm run bench:report` (scripts/bench-report.ts). The service runs in its own process(es) with the minimal echo bot ' +
      'mounted on the same adapter and server (/api/echo); the load generator shares the machine.\n',
  );
  const note = loadNote(d.loadStart, d.loadEnd, m.cpuCount);
  if (note) out.push(`> ${note}\n`);

  out.push('## Machine\n');
  out.push(
    table(
      ['', ''],
      [
        ['CPU', `${m.cpuModel}, ${m.cpuCount} logical CPUs`],
        ['RAM', `${fmt(m.totalMemBytes / 1024 ** 3, 1)} GiB`],
        ['Node', m.node],
        ['OS', m.os],
        ['PostgreSQL', m.postgres ?? 'not measured'],
        ['Date', m.date],
        ['Commit', m.commit],
        ['Load average (1 min)', `${fmt(d.loadStart[0], 2)} at the start, ${fmt(d.loadEnd[0], 2)} at the end (5 min: ${fmt(d.loadStart[1], 2)} → ${fmt(d.loadEnd[1], 2)})`],
        ['Run', `${duration(d.durationSeconds)}; ${o.turns} turns per bot per cell in ${o.rounds} alternating rounds, after ${o.warmup} warm-up turns per bot`],
      ],
    ),
  );

  out.push('## Targets\n');
  out.push(table(['target', 'this run', 'goal', 'met'], checkTargets(d).map((c) => [c.name, c.value, c.goal, metText(c.met)])));
  if (d.skipped.length) out.push(`Not measured: ${d.skipped.join('; ')}.\n`);

  out.push('## Throughput and latency\n');
  out.push(
    'Each cell alternates rounds of the full bot (/api/messages) and the echo bot (/api/echo) on the same service. A visit is a join ' +
      'and six messages (a greeting, FAQ questions with typos, an off-topic one, "talk to a person"). With two instances every turn of a ' +
      'conversation goes to the other instance than the turn before (no sticky sessions), echo included. ' +
      'Service CPU is the user + system time of the service process(es) per turn: less sensitive to a busy machine than turns/s.\n',
  );
  out.push(
    table(
      ['store', 'instances', 'concurrent', 'full turns/s', 'echo turns/s', 'full/echo', 'full p50 / p99 ms', 'echo p50 / p99 ms', 'CPU µs/turn full / echo', 'turns full + echo', 'errors'],
      d.cells.map((c) => [
        storeName(c.store),
        String(c.instances),
        String(c.concurrency),
        fmt(c.full.turnsPerSecond, 1),
        fmt(c.echo.turnsPerSecond, 1),
        `${fmt(ratioOf(c), 2)}×`,
        `${fmt(c.full.p50, 1)} / ${fmt(c.full.p99, 1)}`,
        `${fmt(c.echo.p50, 1)} / ${fmt(c.echo.p99, 1)}`,
        `${fmt(c.cpuFullUs, 0)} / ${fmt(c.cpuEchoUs, 0)}`,
        `${c.full.turns} + ${c.echo.turns}${c.full.timedOut || c.echo.timedOut ? ' (time limit)' : ''}`,
        String(c.full.errors + c.echo.errors),
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  );

  out.push('## Memory\n');
  if (d.memory) {
    const mem = d.memory;
    out.push(
      `A fresh SQLite service, then ${mem.conversations.toLocaleString('en-US')} short conversations (a join and one question each, ` +
        `${mem.turns.toLocaleString('en-US')} turns, ${fmt(mem.seconds, 1)} s${mem.timedOut ? ', stopped at the time limit' : ''}). ` +
        'Heap after a forced garbage collection.\n',
    );
    out.push(
      table(
        ['RSS at start MB', `RSS after ${mem.conversations.toLocaleString('en-US')} conversations MB`, 'peak RSS MB', 'heap used / reserved after GC MB', 'external MB', 'errors'],
        [[mib(mem.rssStartBytes), mib(mem.rssEndBytes), mib(mem.maxRssBytes), `${mib(mem.heapEndBytes)} / ${mem.heapTotalEndBytes === undefined ? '-' : mib(mem.heapTotalEndBytes)}`, mem.externalEndBytes === undefined ? '-' : mib(mem.externalEndBytes), String(mem.errors)]],
        ['r', 'r', 'r', 'r', 'r'],
      ),
    );
  } else {
    out.push('Not measured in this run.\n');
  }

  out.push('## Start-up\n');
  out.push(
    `Fork of the service process → listening, with a store that answers (PostgreSQL: migrated). ${
      o.compiled ? 'The services ran the compiled JavaScript (dist/) with plain node, as `npm start` does.' : 'The services ran the TypeScript through tsx (`--compiled` runs dist/ with plain node, as `npm start` does).'
    }\n`,
  );
  out.push(
    table(
      ['store', 'start', 'spawn → ready ms', 'of which building the app ms'],
      d.startup.map((s) => [storeName(s.store), s.label, fmt(s.ms, 0), fmt(s.createMs, 0)]),
      ['l', 'l', 'r', 'r'],
    ),
  );

  out.push('## Components\n');
  if (d.micro) {
    const mi = d.micro;
    out.push(`Alone, in the load generator's process, on ${mi.messages} varied messages.\n`);
    out.push(
      table(
        ['component', 'µs per message'],
        [
          ['recognizer', fmt(mi.recognizerUs, 1)],
          ['crisis patterns', fmt(mi.patternsUs, 1)],
          ['crisis classifier', fmt(mi.classifierUs, 1)],
          ['crisis detector (patterns + classifier)', fmt(mi.crisisUs, 1)],
          ['crisis classifier training (a cold start), ms CPU', fmt(mi.trainMs, 0)],
        ],
        ['l', 'r'],
      ),
    );
  } else {
    out.push('Not measured in this run.\n');
  }

  const compared = previous ? compareReports(previous, d) : [];
  if (previous && compared.length) {
    out.push('## Compared with the previous report\n');
    out.push(`Then: commit ${previous.machine.commit}, ${previous.machine.date}${previous.options.compiled ? ' (compiled)' : ''}. Now: commit ${m.commit}, ${m.date}${o.compiled ? ' (compiled)' : ''}.\n`);
    out.push(compared.map((line) => `- ${line}`).join('\n') + '\n');
  }

  out.push('## Re-running\n');
  out.push(
    '```sh\nnpm run bench:report                         # this report (a few minutes)\n' +
      `npm run bench:report -- --levels ${o.levels.join(',')} --turns ${o.turns} --conversations ${o.conversations}\n` +
      'npm run bench:report -- --no-pg              # SQLite only\n' +
      'npm run bench:report -- --pg-url postgres://user@host:5432/db   # a schema is created there and dropped after\n```\n',
  );
  out.push(`<!-- ${JSON_MARKER}\n${JSON.stringify(d)}\n-->\n`);
  return out.join('\n');
}

/** The data a RESULTS.md was rendered from; undefined for any other text. */
export function parseReport(markdown: string): ReportData | undefined {
  const match = new RegExp(`<!-- ${JSON_MARKER}\\n([\\s\\S]*?)\\n-->`).exec(markdown);
  if (!match) return undefined;
  try {
    const data = JSON.parse(match[1]!) as ReportData;
    return data && data.version === 1 && Array.isArray(data.cells) ? data : undefined;
  } catch {
    return undefined;
  }
}

/** One line per cell in both runs: turns/s and p99 then and now (for the console after a re-run). */
export function compareReports(before: ReportData, now: ReportData): string[] {
  const lines: string[] = [];
  // Start-up and memory first: the figures a small container or App Service plan is sized by.
  const start = (d: ReportData) => d.startup.find((s) => s.store === 'sqlite');
  const [s0, s1] = [start(before), start(now)];
  if (s0 && s1) lines.push(`start-up (SQLite, ${s1.label}): ${fmt(s0.ms, 0)} → ${fmt(s1.ms, 0)} ms, of which building the app ${fmt(s0.createMs, 0)} → ${fmt(s1.createMs, 0)} ms`);
  const [m0, m1] = [before.memory, now.memory];
  if (m0 && m1) {
    lines.push(
      `RSS at start ${mib(m0.rssStartBytes)} → ${mib(m1.rssStartBytes)} MB; after ${m1.conversations.toLocaleString('en-US')} conversations ${mib(m0.rssEndBytes)} → ${mib(m1.rssEndBytes)} MB; ` +
        `heap used after GC ${mib(m0.heapEndBytes)} → ${mib(m1.heapEndBytes)} MB`,
    );
  }
  for (const c of now.cells) {
    const b = findCell(before.cells, c.store, c.instances, c.concurrency);
    if (!b) continue;
    lines.push(
      `${storeName(c.store)} ×${c.instances} @${c.concurrency}: full ${fmt(b.full.turnsPerSecond, 1)} → ${fmt(c.full.turnsPerSecond, 1)} turns/s, ` +
        `p99 ${fmt(b.full.p99, 1)} → ${fmt(c.full.p99, 1)} ms, full/echo ${fmt(ratioOf(b), 2)} → ${fmt(ratioOf(c), 2)}×, ` +
        `CPU ${fmt(b.cpuFullUs, 0)} → ${fmt(c.cpuFullUs, 0)} µs/turn`,
    );
  }
  return lines;
}
