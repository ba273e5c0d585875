/**
 * `npm run bench`: how fast is the full bot compared with a bare echo bot on
 * the same adapter and server (and an echo bot that keeps conversation state:
 * the floor for any bot that remembers), and how long do the recognizer and the crisis
 * detector take per message?
 *
 *   npm run bench
 *   npm run bench -- --concurrency 32 --turns 10000 --warmup 500
 *   npm run bench:report        (= npm run bench -- --report: bench/RESULTS.md, see bench-report.ts)
 *
 * The service runs in its own process (SQLite in a temp dir, WAL, logs silent)
 * on a random loopback port. N simulated visitors talk at once (expectReplies);
 * every loop is bounded in count and in time, and only 127.0.0.1 is called.
 * BENCH_CPU_PROF=dir / BENCH_HEAP_PROF=dir write the service's .cpuprofile / .heapprofile there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { CHANNELS, combine, drive, startServer, timeComponents, type BenchServer, type PhaseResult } from './lib/benchDriver';
import { REPORT_OPTIONS, REPORT_USAGE, parseReportOptions } from './lib/benchReport';
import { runReport } from './bench-report';

const ROUNDS = 3;
const TARGET_RATIO = 0.7;
const TARGET_RECOGNIZER_US = 500;
const TARGET_CRISIS_US = 200;
const TARGET_LONG_MESSAGE_MS = 50;

// ---------------------------------------------------------------- main

function positiveInt(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be a whole number from 1 to ${max} (got "${raw}")`);
  return n;
}

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '-');
const mb = (bytes: number) => bytes / (1024 * 1024);

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { concurrency: { type: 'string' }, turns: { type: 'string' }, warmup: { type: 'string' }, help: { type: 'boolean', short: 'h' }, ...REPORT_OPTIONS },
  });
  if (values.help) {
    console.log('Usage: npm run bench -- [--concurrency 16] [--turns 4000] [--warmup 200]');
    console.log(REPORT_USAGE);
    return 0;
  }
  if (values.report) return runReport(parseReportOptions(values));
  const concurrency = positiveInt('concurrency', values.concurrency, 16, 1000);
  const turns = positiveInt('turns', values.turns, 4000, 1_000_000);
  const warmup = positiveInt('warmup', values.warmup, 200, 1_000_000);
  const channels = CHANNELS;

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gbac-bench-'));
  const sqlite = process.env.BENCH_SQLITE ?? path.join(tmp, 'bench.sqlite');
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  const rows: Array<[string, string, string, string]> = [];
  const check = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  let server: BenchServer | undefined;
  try {
    // The service runs in its own process, as in production; this process only generates load.
    server = await startServer({ sqlitePath: sqlite, cpuProfDir: process.env.BENCH_CPU_PROF, heapProfDir: process.env.BENCH_HEAP_PROF });
    const { url, journal, port } = server;
    const ports = [port];
    console.log(`Service on ${url} in its own process (SQLite ${sqlite}, journal ${journal})`);
    console.log(`${concurrency} concurrent conversations, ${turns} turns per endpoint after a ${warmup}-turn warm-up, in ${ROUNDS} alternating rounds; channels ${[...new Set(channels)].join('/')}\n`);

    const phase = (name: string, urlPath: string, n: number) => drive({ name, agent, ports, urlPath, turns: n, concurrency, channels });
    await phase('warm-full', '/api/messages', warmup);
    await phase('warm-echo', '/api/echo', warmup);
    await phase('warm-state', '/api/echo-state', warmup);
    // Alternate the two bots so neither gets the warmer machine.
    const fullRounds: PhaseResult[] = [];
    const echoRounds: PhaseResult[] = [];
    const stateRounds: PhaseResult[] = [];
    // Server CPU per turn is measured too: the load generator shares this 2-core machine,
    // so throughput alone also reflects how fast this process can parse the replies.
    const cpu = { full: 0, echo: 0, state: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      let before = await server.cpuMicros();
      fullRounds.push(await phase('full', '/api/messages', Math.ceil(turns / ROUNDS)));
      cpu.full += (await server.cpuMicros()) - before;
      before = await server.cpuMicros();
      echoRounds.push(await phase('echo', '/api/echo', Math.ceil(turns / ROUNDS)));
      cpu.echo += (await server.cpuMicros()) - before;
      before = await server.cpuMicros();
      stateRounds.push(await phase('state', '/api/echo-state', Math.ceil(turns / ROUNDS)));
      cpu.state += (await server.cpuMicros()) - before;
    }
    const full = combine('full', fullRounds);
    const echo = combine('echo', echoRounds);
    const state = combine('state', stateRounds);
    const memory = await server.memory();
    const rss = mb(memory.rss);
    const maxRss = mb(memory.maxRss);

    const route = { full: 'messages  ', echo: 'echo      ', state: 'echo-state' } as Record<string, string>;
    for (const r of [full, echo, state]) {
      console.log(
        `${r.name.padEnd(5)} /api/${route[r.name]}  ${r.turns} turns in ${f2(r.seconds)} s  ${f1(r.turnsPerSecond)} turns/s  p50 ${f2(r.p50)} ms  p99 ${f2(r.p99)} ms  errors ${r.errors}${r.timedOut ? '  (stopped at the time limit)' : ''}`,
      );
    }
    const ratio = full.turnsPerSecond / echo.turnsPerSecond;
    console.log(`service RSS after the run ${f1(rss)} MB (peak ${f1(maxRss)} MB)`);
    console.log(`full/echo throughput ${f2(ratio)}×  (target ≥ ${TARGET_RATIO.toFixed(2)}×)`);
    // The floor: the echo bot that only reads and writes its conversation state, on the same durable store.
    const floor = state.turnsPerSecond / echo.turnsPerSecond;
    console.log(`echo-state/echo throughput ${f2(floor)}×  (the echo plus one state read and one durable write: the ceiling for any bot that remembers a conversation)`);
    const cpuFull = cpu.full / full.turns;
    const cpuEcho = cpu.echo / echo.turns;
    const cpuState = cpu.state / state.turns;
    console.log(`service CPU per turn: full ${f1(cpuFull)} µs, echo ${f1(cpuEcho)} µs, echo-state ${f1(cpuState)} µs (echo/full ${f2(cpuEcho / cpuFull)}×)\n`);

    // The pieces alone, in this process, on the same knowledge the service loads.
    const t = timeComponents();
    const { recognizer: rec, patterns: pat, classifier: cls, crisis: cri, trainMs } = t;
    console.log(`recognizer      ${f1(rec.us)} µs per message  (${t.messages} messages, ${rec.calls} calls; target < ${TARGET_RECOGNIZER_US} µs)`);
    console.log(`crisis patterns   ${f1(pat.us)} µs per message, classifier ${f1(cls.us)} µs (trained in ${f1(trainMs)} ms CPU on a cold start; warm starts read it from the artifact cache)`);
    console.log(`crisis detector ${f1(cri.us)} µs per message, patterns + classifier  (${t.messages} messages, ${cri.calls} calls; target < ${TARGET_CRISIS_US} µs)`);
    console.log(`crisis detector ${f1(t.longMessageMs)} ms on one 10,000-character message (target < ${TARGET_LONG_MESSAGE_MS} ms)\n`);

    rows.push(
      ['full turns/s', f1(full.turnsPerSecond), '', ''],
      ['full p50 / p99 ms', `${f2(full.p50)} / ${f2(full.p99)}`, '', ''],
      ['echo turns/s', f1(echo.turnsPerSecond), '', ''],
      ['echo p50 / p99 ms', `${f2(echo.p50)} / ${f2(echo.p99)}`, '', ''],
      ['full/echo throughput', `${f2(ratio)}×`, `≥ ${TARGET_RATIO.toFixed(2)}×`, check(ratio >= TARGET_RATIO)],
      ['echo-state/echo throughput (floor)', `${f2(floor)}×`, '', ''],
      ['service CPU µs/turn full/echo/state', `${f1(cpuFull)} / ${f1(cpuEcho)} / ${f1(cpuState)}`, '', ''],
      ['errors (full + echo + state)', String(full.errors + echo.errors + state.errors), '0', check(full.errors + echo.errors + state.errors === 0)],
      ['RSS after run MB', f1(rss), '', ''],
      ['recognizer µs/msg', f1(rec.us), `< ${TARGET_RECOGNIZER_US}`, check(rec.us < TARGET_RECOGNIZER_US)],
      ['crisis classifier µs/msg', f1(cls.us), '', ''],
      ['crisis classifier training ms (cold start)', f1(trainMs), '< 1500', check(trainMs < 1500)],
      ['crisis detector µs/msg', f1(cri.us), `< ${TARGET_CRISIS_US}`, check(cri.us < TARGET_CRISIS_US)],
      ['crisis detector ms, 10,000 characters', f1(t.longMessageMs), `< ${TARGET_LONG_MESSAGE_MS}`, check(t.longMessageMs < TARGET_LONG_MESSAGE_MS)],
    );
    const head: [string, string, string, string] = ['metric', 'value', 'target', ''];
    const widths = [0, 1, 2].map((i) => Math.max(...[head, ...rows].map((r) => r[i]!.length)));
    const line = (r: string[]) => `${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padStart(widths[1]!)}  ${r[2]!.padEnd(widths[2]!)}  ${r[3]}`.trimEnd();
    console.log(line(head));
    console.log(line(widths.map((w) => '-'.repeat(w)).concat('')));
    for (const r of rows) console.log(line(r));
    return 0;
  } finally {
    agent.destroy();
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`bench failed: ${(err as Error).message}`);
    process.exitCode = 1;
  },
);
