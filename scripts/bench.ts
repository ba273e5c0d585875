/**
 * `npm run bench`: how fast is the full bot compared with a bare echo bot on
 * the same adapter and server, and how long do the recognizer and the crisis
 * detector take per message?
 *
 *   npm run bench
 *   npm run bench -- --concurrency 32 --turns 10000 --warmup 500
 *
 * The service runs in-process (SQLite in a temp dir, WAL, logs silent) on a
 * random loopback port. N simulated visitors talk at once (expectReplies);
 * every loop is bounded in count and in time, and only 127.0.0.1 is called.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fork, type ChildProcess } from 'node:child_process';
import { knowledgeDir, loadKnowledgeBase } from '../src/core/knowledge/load';
import { Recognizer } from '../src/core/nlu/recognizer';
import { CrisisDetector } from '../src/core/safety/crisis';
import { conversationUpdate, messageActivity, newConversation, repliesFrom, type Activity, type Conversation } from './lib/activity';

const HOST = '127.0.0.1';
/** No phase may run longer than this, whatever --turns says. */
const PHASE_TIME_LIMIT_MS = 180_000;
const REQUEST_TIMEOUT_MS = 10_000;

const ROUNDS = 3;
const TARGET_RATIO = 0.7;
const TARGET_RECOGNIZER_US = 500;
const TARGET_CRISIS_US = 200;

/** What visitors type, conversation by conversation: a greeting, FAQ questions (with typos), an off-topic one, a person. */
const VISITOR_SCRIPTS: string[][] = [
  ['hi', 'what is iop', 'how many days a week is iop', 'do u take insurence', "what's the weather in boston tomorrow", 'talk to a person'],
  ['hello there', 'wat is php', 'can i keep workin during treatmnt', 'do you do detox', 'who won the celtics game last night', 'can i talk to a real person'],
  ['hey', 'whats the diffrence between iop and outpatient', 'do you have evening sesions', 'is family therapy part of it', 'can you write me a poem', 'talk to a person'],
  ['good morning', 'how do i know if i need iop', 'can i start right after detox', 'where are you located', 'whats 2+2', 'i want to speak to someone'],
  ['hi', 'what therapies do u use', 'do you treat depression and addiction together', 'how much does it cost', 'recommend a good pizza place', 'talk to a person'],
  ['hello', 'what happens in a group therapy sesion', 'do you help with cravings', 'is there aftercare', 'tell me a joke', 'connect me with admissions'],
];

/** ~200 varied messages for timing the recognizer and the crisis detector alone. */
function timingMessages(kb: ReturnType<typeof loadKnowledgeBase>): string[] {
  const questions = kb.faq.entries.flatMap((e) => e.questions);
  const picked: string[] = [];
  const step = Math.max(1, Math.floor(questions.length / 130));
  for (let i = 0; i < questions.length && picked.length < 130; i += step) picked.push(questions[i]!);
  // Every third one with a typo (two letters swapped) and lower case, as people type.
  const typed = picked.map((q, i) => {
    if (i % 3 !== 0) return q;
    const s = q.toLowerCase();
    const at = Math.min(s.length - 2, 3 + (i % 7));
    return at > 0 ? s.slice(0, at) + s[at + 1] + s[at] + s.slice(at + 2) : s;
  });
  const extra = [
    ...VISITOR_SCRIPTS.flat(),
    'do u guys take masshealth',
    'r u open on weekends',
    'how long is the program',
    'my son needs help with opioids what do we do',
    'can my wife come to sessions with me',
    "i'm worried about my drinking",
    'I relapsed last month, can I still come',
    'is this confidential',
    'do i need a referral',
    'what should i bring on the first day',
    'what is the capital of france',
    'write python code to sort a list',
    'what time does the pharmacy close',
    'hola, necesito ayuda',
    '¿aceptan seguro médico?',
    'quiero hablar con alguien',
    'necesito información sobre el programa',
    'thx',
    'ok',
    '2',
    'start over',
    'help',
    'none of these',
    'i want to kill myself',
    'my friend took too many pills and wont wake up',
    'im shaking and seeing things, havent had a drink in 2 days',
    'honestly i just want to die',
    "i'm killing it at work but drinking every night",
    'how do you handle overdose prevention',
    'can withdrawal cause seizures',
    'I have been sober for two years and want to help my brother. He drinks every day, lost his job, and his wife left. He says he wants to stop but is scared of withdrawal. What are his options, does insurance cover it, and can he keep living at home while he gets treatment?',
    'a'.repeat(300),
  ];
  return [...typed, ...extra];
}

// ---------------------------------------------------------------- HTTP driver

interface Sample {
  ms: number;
  ok: boolean;
}

interface PhaseResult {
  name: string;
  turns: number;
  errors: number;
  seconds: number;
  turnsPerSecond: number;
  p50: number;
  p99: number;
  timedOut: boolean;
  /** Sorted per-turn latencies, ms. */
  latencies: number[];
}

/** One POST over the shared keep-alive agent; resolves with the status and parsed replies (never rejects). */
function post(agent: http.Agent, port: number, urlPath: string, activity: Activity): Promise<{ status: number; replies: Activity[] }> {
  const body = JSON.stringify(activity);
  return new Promise((resolve) => {
    const req = http.request(
      { host: HOST, port, path: urlPath, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, replies: repliesFrom(parsed) });
        });
        res.on('error', () => resolve({ status: 0, replies: [] }));
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, replies: [] }));
    req.end(body);
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/**
 * `concurrency` visitors talk at once, each one conversation after another
 * (join, then its script), until `turns` requests in all or the time limit.
 */
async function drive(name: string, agent: http.Agent, port: number, urlPath: string, turns: number, concurrency: number, channels: string[]): Promise<PhaseResult> {
  const samples: Sample[] = [];
  let issued = 0;
  let conversations = 0;
  const start = performance.now();
  const deadline = start + PHASE_TIME_LIMIT_MS;
  let timedOut = false;

  const visitor = async () => {
    let conv: Conversation | undefined;
    let script: string[] = [];
    let step = 0;
    while (issued < turns) {
      if (performance.now() > deadline) {
        timedOut = true;
        return;
      }
      issued++;
      if (!conv || step > script.length) {
        const n = conversations++;
        conv = newConversation(channels[n % channels.length], { id: `bench-${name}-${n}` });
        script = VISITOR_SCRIPTS[n % VISITOR_SCRIPTS.length]!;
        step = 0;
      }
      const activity = step === 0 ? conversationUpdate(conv) : messageActivity(conv, script[step - 1]!);
      step++;
      const t0 = performance.now();
      const res = await post(agent, port, urlPath, activity);
      const ms = performance.now() - t0;
      // A message must get at least one reply; a join gets a 200 (the echo bot says nothing to it).
      const ok = res.status === 200 && (activity.type !== 'message' || res.replies.length > 0);
      samples.push({ ms, ok });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, visitor));
  const seconds = (performance.now() - start) / 1000;
  const latencies = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    name,
    turns: samples.length,
    errors: samples.filter((s) => !s.ok).length,
    seconds,
    turnsPerSecond: samples.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    timedOut,
    latencies,
  };
}

/** One result from several rounds of the same phase. */
function combine(name: string, rounds: PhaseResult[]): PhaseResult {
  const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const turns = rounds.reduce((n, r) => n + r.turns, 0);
  const seconds = rounds.reduce((n, r) => n + r.seconds, 0);
  return {
    name,
    turns,
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    seconds,
    turnsPerSecond: turns / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    timedOut: rounds.some((r) => r.timedOut),
    latencies,
  };
}

// ---------------------------------------------------------------- micro-benchmarks

let sink = 0;

/** Mean µs per call of fn over msgs, after a warm-up, repeated for at least minMs (and at most maxPasses passes). */
function timePerMessage(fn: (text: string) => unknown, msgs: string[], minMs = 1000, maxPasses = 100_000): { us: number; calls: number } {
  const warmUntil = performance.now() + 300;
  for (let pass = 0; pass < 3 || (performance.now() < warmUntil && pass < maxPasses); pass++) {
    for (const m of msgs) if (fn(m)) sink++;
  }
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  for (let pass = 0; pass < maxPasses && (elapsed < minMs || pass < 5); pass++) {
    for (const m of msgs) if (fn(m)) sink++;
    calls += msgs.length;
    elapsed = performance.now() - start;
  }
  return { us: (elapsed * 1000) / calls, calls };
}

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
    options: { concurrency: { type: 'string' }, turns: { type: 'string' }, warmup: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log('Usage: npm run bench -- [--concurrency 16] [--turns 4000] [--warmup 200]');
    return 0;
  }
  const concurrency = positiveInt('concurrency', values.concurrency, 16, 1000);
  const turns = positiveInt('turns', values.turns, 4000, 1_000_000);
  const warmup = positiveInt('warmup', values.warmup, 200, 1_000_000);
  const channels = ['webchat', 'webchat', 'sms', 'msteams'];

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gbac-bench-'));
  const sqlite = path.join(tmp, 'bench.sqlite');
  // The service runs in its own process, as in production; this process only generates load.
  const server: ChildProcess = fork(path.join(__dirname, 'bench-server.ts'), [], {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
    env: { ...process.env, BENCH_SQLITE: process.env.BENCH_SQLITE ?? sqlite },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = <T>(type: string, request?: object): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bench server did not answer "${type}"`)), 60_000);
      const onMessage = (m: { type?: string }) => {
        if (m?.type !== type) return;
        clearTimeout(timer);
        server.off('message', onMessage);
        resolve(m as T);
      };
      server.on('message', onMessage);
      if (request) server.send(request);
    });
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  const rows: Array<[string, string, string, string]> = [];
  const check = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  try {
    const { url, journal } = await ask<{ url: string; journal: string }>('ready');
    const port = Number(new URL(url).port);
    console.log(`Service on ${url} in its own process (SQLite ${sqlite}, journal ${journal})`);
    console.log(`${concurrency} concurrent conversations, ${turns} turns per endpoint after a ${warmup}-turn warm-up, in ${ROUNDS} alternating rounds; channels ${[...new Set(channels)].join('/')}\n`);

    await drive('warm-full', agent, port, '/api/messages', warmup, concurrency, channels);
    await drive('warm-echo', agent, port, '/api/echo', warmup, concurrency, channels);
    // Alternate the two bots so neither gets the warmer machine.
    const fullRounds: PhaseResult[] = [];
    const echoRounds: PhaseResult[] = [];
    // Server CPU per turn is measured too: the load generator shares this 2-core machine,
    // so throughput alone also reflects how fast this process can parse the replies.
    const serverCpu = async () => (await ask<{ micros: number }>('cpu', { type: 'cpu' })).micros;
    const cpu = { full: 0, echo: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      let before = await serverCpu();
      fullRounds.push(await drive('full', agent, port, '/api/messages', Math.ceil(turns / ROUNDS), concurrency, channels));
      cpu.full += (await serverCpu()) - before;
      before = await serverCpu();
      echoRounds.push(await drive('echo', agent, port, '/api/echo', Math.ceil(turns / ROUNDS), concurrency, channels));
      cpu.echo += (await serverCpu()) - before;
    }
    const full = combine('full', fullRounds);
    const echo = combine('echo', echoRounds);
    const memory = await ask<{ rss: number; maxRss: number }>('memory', { type: 'memory' });
    const rss = mb(memory.rss);
    const maxRss = mb(memory.maxRss);

    for (const r of [full, echo]) {
      console.log(
        `${r.name.padEnd(5)} /api/${r.name === 'full' ? 'messages' : 'echo    '}  ${r.turns} turns in ${f2(r.seconds)} s  ${f1(r.turnsPerSecond)} turns/s  p50 ${f2(r.p50)} ms  p99 ${f2(r.p99)} ms  errors ${r.errors}${r.timedOut ? '  (stopped at the time limit)' : ''}`,
      );
    }
    const ratio = full.turnsPerSecond / echo.turnsPerSecond;
    console.log(`service RSS after the run ${f1(rss)} MB (peak ${f1(maxRss)} MB)`);
    console.log(`full/echo throughput ${f2(ratio)}×  (target ≥ ${TARGET_RATIO.toFixed(2)}×)`);
    const cpuFull = cpu.full / full.turns;
    const cpuEcho = cpu.echo / echo.turns;
    console.log(`service CPU per turn: full ${f1(cpuFull)} µs, echo ${f1(cpuEcho)} µs (echo/full ${f2(cpuEcho / cpuFull)}×)\n`);

    // The pieces alone, in this process, on the same knowledge the service loads.
    const kb = loadKnowledgeBase(knowledgeDir());
    const msgs = timingMessages(kb);
    const recognizer = new Recognizer(kb);
    const rec = timePerMessage((t) => recognizer.recognize(t).candidates.length, msgs);
    console.log(`recognizer      ${f1(rec.us)} µs per message  (${msgs.length} messages, ${rec.calls} calls; target < ${TARGET_RECOGNIZER_US} µs)`);
    const trainStart = process.cpuUsage().user;
    const crisis = CrisisDetector.fromKnowledge(kb);
    const trainMs = (process.cpuUsage().user - trainStart) / 1000;
    const pat = timePerMessage((t) => crisis.detectByPatterns(t), msgs);
    const cls = timePerMessage((t) => crisis.classifierScore(t), msgs);
    const cri = timePerMessage((t) => crisis.detect(t), msgs);
    console.log(`crisis patterns   ${f1(pat.us)} µs per message, classifier ${f1(cls.us)} µs (trained at start-up in ${f1(trainMs)} ms CPU)`);
    console.log(`crisis detector ${f1(cri.us)} µs per message, patterns + classifier  (${msgs.length} messages, ${cri.calls} calls; target < ${TARGET_CRISIS_US} µs)\n`);

    rows.push(
      ['full turns/s', f1(full.turnsPerSecond), '', ''],
      ['full p50 / p99 ms', `${f2(full.p50)} / ${f2(full.p99)}`, '', ''],
      ['echo turns/s', f1(echo.turnsPerSecond), '', ''],
      ['echo p50 / p99 ms', `${f2(echo.p50)} / ${f2(echo.p99)}`, '', ''],
      ['full/echo throughput', `${f2(ratio)}×`, `≥ ${TARGET_RATIO.toFixed(2)}×`, check(ratio >= TARGET_RATIO)],
      ['service CPU µs/turn full/echo', `${f1(cpuFull)} / ${f1(cpuEcho)}`, '', ''],
      ['errors (full + echo)', String(full.errors + echo.errors), '0', check(full.errors + echo.errors === 0)],
      ['RSS after run MB', f1(rss), '', ''],
      ['recognizer µs/msg', f1(rec.us), `< ${TARGET_RECOGNIZER_US}`, check(rec.us < TARGET_RECOGNIZER_US)],
      ['crisis classifier µs/msg', f1(cls.us), '', ''],
      ['crisis classifier training ms', f1(trainMs), '< 1500', check(trainMs < 1500)],
      ['crisis detector µs/msg', f1(cri.us), `< ${TARGET_CRISIS_US}`, check(cri.us < TARGET_CRISIS_US)],
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
    server.send({ type: 'stop' });
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(tmp, { recursive: true, force: true });
    if (sink < 0) console.log(sink);
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
