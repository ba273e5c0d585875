/**
 * `npm run bench:report` (or `npm run bench -- --report`): everything issue #7
 * asks for, in one run, written to bench/RESULTS.md:
 *
 *  - turns/s and p50/p99 at 1, 16 and 64 concurrent conversations, on SQLite
 *    and on PostgreSQL, each against the echo bot in the same run;
 *  - two PostgreSQL instances on one database (every turn of a conversation
 *    goes to the other instance), full vs echo at 16 concurrent;
 *  - the RSS after 10,000 short conversations;
 *  - start-up time (spawn → ready) for SQLite and PostgreSQL;
 *  - the recognizer and crisis detector timings.
 *
 * PostgreSQL gets a fresh schema per run (search_path in DATABASE_URL),
 * dropped at the end. Only 127.0.0.1 (and the given PostgreSQL) is called.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { SHORT_SCRIPTS, combine, drive, startServer, timeComponents, type BenchServer, type PhaseResult } from './lib/benchDriver';
import {
  checkTargets,
  compareReports,
  describeMachine,
  fmt,
  loadNote,
  mib,
  parseReport,
  ratioOf,
  redactUrl,
  renderReport,
  type CellResult,
  type MemoryResult,
  type PhaseSummary,
  type ReportData,
  type ReportOptions,
  type StartupSample,
} from './lib/benchReport';

const ROOT = path.join(__dirname, '..');

const summary = (r: PhaseResult): PhaseSummary => ({ turns: r.turns, errors: r.errors, turnsPerSecond: r.turnsPerSecond, p50: r.p50, p99: r.p99, timedOut: r.timedOut });

function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** A fresh schema for this run, and the URL whose search_path points at it. */
async function createSchema(baseUrl: string): Promise<{ url: string; version: string; drop(): Promise<void> }> {
  const schema = `bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = async <T>(fn: (c: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: baseUrl, connectionTimeoutMillis: 5000 });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  const version = await admin(async (c) => {
    await c.query(`CREATE SCHEMA ${schema}`);
    return (await c.query<{ version: string }>('SELECT version()')).rows[0]?.version ?? 'unknown';
  });
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), version, drop: () => admin((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).then(() => undefined) };
}

/** Full vs echo at one concurrency over the given instances, in alternating rounds; CPU summed over the instances. */
async function cell(o: ReportOptions, servers: BenchServer[], store: CellResult['store'], concurrency: number): Promise<CellResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  const ports = servers.map((s) => s.port);
  const cpu = async () => (await Promise.all(servers.map((s) => s.cpuMicros()))).reduce((a, b) => a + b, 0);
  const tag = `${store}-${servers.length}x${concurrency}`;
  const perRound = Math.ceil(o.turns / o.rounds);
  const fullRounds: PhaseResult[] = [];
  const echoRounds: PhaseResult[] = [];
  const used = { full: 0, echo: 0 };
  try {
    for (let round = 0; round < o.rounds; round++) {
      // Alternate the two bots so neither gets the warmer (or quieter) machine.
      let before = await cpu();
      fullRounds.push(await drive({ name: `${tag}-full-${round}`, agent, ports, urlPath: '/api/messages', turns: perRound, concurrency }));
      used.full += (await cpu()) - before;
      before = await cpu();
      echoRounds.push(await drive({ name: `${tag}-echo-${round}`, agent, ports, urlPath: '/api/echo', turns: perRound, concurrency }));
      used.echo += (await cpu()) - before;
    }
  } finally {
    agent.destroy();
  }
  const full = combine('full', fullRounds);
  const echo = combine('echo', echoRounds);
  const result: CellResult = {
    store,
    instances: servers.length,
    concurrency,
    full: summary(full),
    echo: summary(echo),
    cpuFullUs: used.full / full.turns,
    cpuEchoUs: used.echo / echo.turns,
  };
  console.log(
    `  ${store} ×${servers.length} @${concurrency}: full ${fmt(full.turnsPerSecond, 1)} turns/s p50 ${fmt(full.p50, 1)} p99 ${fmt(full.p99, 1)} ms | ` +
      `echo ${fmt(echo.turnsPerSecond, 1)} turns/s p99 ${fmt(echo.p99, 1)} ms | ${fmt(ratioOf(result), 2)}× | CPU ${fmt(result.cpuFullUs, 0)}/${fmt(result.cpuEchoUs, 0)} µs/turn` +
      (full.errors + echo.errors ? ` | ${full.errors + echo.errors} errors` : ''),
  );
  return result;
}

/** JIT, caches and connections warmed on every instance before anything is timed. */
async function warmUp(o: ReportOptions, servers: BenchServer[]): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const ports = servers.map((s) => s.port);
  try {
    for (const urlPath of ['/api/messages', '/api/echo']) {
      await drive({ name: `warm-${ports.join('-')}-${urlPath.slice(5)}`, agent, ports, urlPath, turns: o.warmup * servers.length, concurrency: 16 });
    }
  } finally {
    agent.destroy();
  }
}

async function started(startup: StartupSample[], store: StartupSample['store'], label: string, start: () => Promise<BenchServer>, live: BenchServer[]): Promise<BenchServer> {
  const server = await start();
  live.push(server);
  startup.push({ store, label, ms: server.startupMs, createMs: server.createMs });
  console.log(`  started ${store} (${label}) in ${fmt(server.startupMs, 0)} ms, of which building the app ${fmt(server.createMs, 0)} ms`);
  return server;
}

async function stopAll(live: BenchServer[]): Promise<void> {
  await Promise.all(live.splice(0).map((s) => s.stop()));
}

/** RSS of a fresh SQLite service before and after many short conversations. */
async function memoryPhase(o: ReportOptions, server: BenchServer): Promise<MemoryResult> {
  const concurrency = 16;
  const before = await server.memory({ gc: true });
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const perConversation = 1 + SHORT_SCRIPTS[0]!.length;
  let run: PhaseResult;
  try {
    run = await drive({ name: 'memory', agent, ports: [server.port], urlPath: '/api/messages', turns: o.conversations * perConversation, concurrency, scripts: SHORT_SCRIPTS });
  } finally {
    agent.destroy();
  }
  const after = await server.memory({ gc: true });
  const result: MemoryResult = {
    conversations: Math.floor(run.turns / perConversation),
    turns: run.turns,
    errors: run.errors,
    seconds: run.seconds,
    timedOut: run.timedOut,
    rssStartBytes: before.rss,
    rssEndBytes: after.rss,
    heapEndBytes: after.heapUsed,
    heapTotalEndBytes: after.heapTotal,
    externalEndBytes: after.external,
    maxRssBytes: after.maxRss,
  };
  console.log(`  ${result.conversations} conversations (${run.turns} turns, ${fmt(run.seconds, 1)} s): RSS ${mib(before.rss)} → ${mib(after.rss)} MB, heap after GC ${mib(after.heapUsed)} of ${mib(after.heapTotal)} MB, external ${mib(after.external)} MB`);
  return result;
}

export async function runReport(o: ReportOptions): Promise<number> {
  const t0 = performance.now();
  const loadStart = os.loadavg();
  console.log(`Benchmark report → ${o.out}`);
  console.log(`1-minute load average at the start: ${fmt(loadStart[0], 2)} on ${os.cpus().length} CPUs`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gbac-bench-report-'));
  const live: BenchServer[] = [];
  const cells: CellResult[] = [];
  const startup: StartupSample[] = [];
  const skipped: string[] = [];
  let memory: MemoryResult | undefined;
  let pgVersion: string | undefined;
  let schema: Awaited<ReturnType<typeof createSchema>> | undefined;
  const file = (name: string) => path.join(tmp, name);
  try {
    console.log('SQLite');
    const sqlite = await started(startup, 'sqlite', 'fresh file', () => startServer({ sqlitePath: file('state.sqlite'), compiled: o.compiled }), live);
    await warmUp(o, [sqlite]);
    for (const level of o.levels) cells.push(await cell(o, [sqlite], 'sqlite', level));
    await stopAll(live);

    if (o.postgres) {
      try {
        schema = await createSchema(o.pgUrl);
        pgVersion = schema.version;
      } catch (err) {
        skipped.push(`PostgreSQL (${redactUrl(o.pgUrl)} not reachable: ${(err as Error).message})`);
        console.warn(`PostgreSQL skipped: ${redactUrl(o.pgUrl)} not reachable (${(err as Error).message})`);
      }
    } else {
      skipped.push('PostgreSQL (--no-pg)');
    }
    if (schema) {
      const url = schema.url;
      console.log(`PostgreSQL (${pgVersion?.split(' on ')[0]})`);
      // Each instance keeps its staff-alert outbox in a local SQLite file, as in production.
      const a = await started(startup, 'postgresql', 'fresh schema (migrates)', () => startServer({ sqlitePath: file('outbox-a.sqlite'), databaseUrl: url, compiled: o.compiled }), live);
      await warmUp(o, [a]);
      for (const level of o.levels) cells.push(await cell(o, [a], 'postgresql', level));
      const b = await started(startup, 'postgresql', 'schema in place', () => startServer({ sqlitePath: file('outbox-b.sqlite'), databaseUrl: url, compiled: o.compiled }), live);
      await warmUp(o, [a, b]);
      cells.push(await cell(o, [a, b], 'postgresql', o.instancesConcurrency));
      await stopAll(live);
    }

    if (o.conversations > 0) {
      console.log('Memory');
      const server = await started(startup, 'sqlite', 'fresh file', () => startServer({ sqlitePath: file('memory.sqlite'), compiled: o.compiled }), live);
      memory = await memoryPhase(o, server);
      await stopAll(live);
    } else {
      skipped.push('memory (--conversations 0)');
    }
  } finally {
    await stopAll(live);
    await schema?.drop().catch((err: Error) => console.warn(`could not drop the benchmark schema: ${err.message}`));
    rmSync(tmp, { recursive: true, force: true });
  }

  console.log('Components');
  const t = timeComponents();
  const micro = { recognizerUs: t.recognizer.us, patternsUs: t.patterns.us, classifierUs: t.classifier.us, crisisUs: t.crisis.us, trainMs: t.trainMs, messages: t.messages };
  console.log(`  recognizer ${fmt(micro.recognizerUs, 1)} µs, crisis detector ${fmt(micro.crisisUs, 1)} µs per message; classifier trained in ${fmt(micro.trainMs, 0)} ms`);

  const loadEnd = os.loadavg();
  const machine = describeMachine({
    cpus: os.cpus(),
    totalmem: os.totalmem(),
    nodeVersion: process.version,
    platform: os.platform(),
    release: os.release(),
    pgVersion,
    date: new Date(),
    commit: git(['rev-parse', '--short', 'HEAD']),
    dirty: Boolean(git(['status', '--porcelain', '--untracked-files=no'])),
  });
  // The URL and the output path stay out of the report (the URL may carry a password).
  const options = { levels: o.levels, turns: o.turns, warmup: o.warmup, rounds: o.rounds, conversations: o.conversations, instancesConcurrency: o.instancesConcurrency, postgres: o.postgres, compiled: o.compiled };
  const data: ReportData = { version: 1, machine, options, loadStart, loadEnd, durationSeconds: (performance.now() - t0) / 1000, cells, startup, memory, micro, skipped };

  const out = path.resolve(ROOT, o.out);
  const previous = existsSync(out) ? parseReport(readFileSync(out, 'utf8')) : undefined;
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, renderReport(data, previous));

  console.log(`\n1-minute load average at the end: ${fmt(loadEnd[0], 2)}`);
  const note = loadNote(loadStart, loadEnd, machine.cpuCount);
  if (note) console.log(note.replace(/\*\*/g, ''));
  console.log('\nTargets:');
  for (const c of checkTargets(data)) console.log(`  ${c.met === undefined ? '  -  ' : c.met ? '  ok ' : 'MISSED'}  ${c.name}: ${c.value} (goal ${c.goal})`);
  if (previous) {
    const lines = compareReports(previous, data);
    if (lines.length) console.log(`\nCompared with the previous ${path.relative(ROOT, out)} (${previous.machine.date}):\n  ${lines.join('\n  ')}`);
  }
  console.log(`\nWrote ${path.relative(ROOT, out)} in ${fmt(data.durationSeconds, 0)} s`);
  return 0;
}
