/**
 * The load generator shared by `npm run bench` and its `--report` mode:
 * simulated visitors posting activities (expectReplies) over keep-alive
 * connections, the service under test in its own process, and timing of
 * single functions. Only 127.0.0.1 is ever called; every loop is bounded in
 * count and in time.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { knowledgeDir, loadKnowledgeBase, type KnowledgeBase } from '../../src/core/knowledge/load';
import { Recognizer } from '../../src/core/nlu/recognizer';
import { CrisisClassifier } from '../../src/core/safety/classifier';
import { CrisisDetector } from '../../src/core/safety/crisis';
import { loadTrainingExamples } from '../../src/core/safety/examples';
import { conversationUpdate, messageActivity, newConversation, repliesFrom, type Activity, type Conversation } from './activity';

export const HOST = '127.0.0.1';
/** No phase may run longer than this, whatever the turn count says. */
export const PHASE_TIME_LIMIT_MS = 180_000;
const REQUEST_TIMEOUT_MS = 10_000;

/** What visitors type, conversation by conversation: a greeting, FAQ questions (with typos), an off-topic one, a person. */
export const VISITOR_SCRIPTS: string[][] = [
  ['hi', 'what is iop', 'how many days a week is iop', 'do u take insurence', "what's the weather in boston tomorrow", 'talk to a person'],
  ['hello there', 'wat is php', 'can i keep workin during treatmnt', 'do you do detox', 'who won the celtics game last night', 'can i talk to a real person'],
  ['hey', 'whats the diffrence between iop and outpatient', 'do you have evening sesions', 'is family therapy part of it', 'can you write me a poem', 'talk to a person'],
  ['good morning', 'how do i know if i need iop', 'can i start right after detox', 'where are you located', 'whats 2+2', 'i want to speak to someone'],
  ['hi', 'what therapies do u use', 'do you treat depression and addiction together', 'how much does it cost', 'recommend a good pizza place', 'talk to a person'],
  ['hello', 'what happens in a group therapy sesion', 'do you help with cravings', 'is there aftercare', 'tell me a joke', 'connect me with admissions'],
];

/** Short visits (join, one question) for the many-conversations memory phase. */
export const SHORT_SCRIPTS: string[][] = VISITOR_SCRIPTS.map((s) => [s[1]!]);

/** Channels conversations are spread over (as in production: mostly Web Chat). */
export const CHANNELS = ['webchat', 'webchat', 'sms', 'msteams'];

/** ~200 varied messages for timing the recognizer and the crisis detector alone. */
export function timingMessages(kb: KnowledgeBase): string[] {
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

export interface PhaseResult {
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

/** The p-th percentile of sorted values (nearest rank); NaN for none. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export interface DriveOptions {
  /** Names the conversations (ids stay unique per phase). */
  name: string;
  agent: http.Agent;
  /** One port, or several instances: each turn of a conversation goes to the next one (no sticky sessions). */
  ports: number[];
  urlPath: string;
  turns: number;
  concurrency: number;
  channels?: string[];
  scripts?: string[][];
}

/**
 * `concurrency` visitors talk at once, each one conversation after another
 * (join, then its script), until `turns` requests in all or the time limit.
 */
export async function drive(o: DriveOptions): Promise<PhaseResult> {
  const channels = o.channels ?? CHANNELS;
  const scripts = o.scripts ?? VISITOR_SCRIPTS;
  const latencies: number[] = [];
  let errors = 0;
  let issued = 0;
  let conversations = 0;
  const start = performance.now();
  const deadline = start + PHASE_TIME_LIMIT_MS;
  let timedOut = false;

  const visitor = async () => {
    let conv: Conversation | undefined;
    let script: string[] = [];
    let n = 0;
    let step = 0;
    while (issued < o.turns) {
      if (performance.now() > deadline) {
        timedOut = true;
        return;
      }
      issued++;
      if (!conv || step > script.length) {
        n = conversations++;
        conv = newConversation(channels[n % channels.length], { id: `bench-${o.name}-${n}` });
        script = scripts[n % scripts.length]!;
        step = 0;
      }
      const activity = step === 0 ? conversationUpdate(conv) : messageActivity(conv, script[step - 1]!);
      const port = o.ports[(n + step) % o.ports.length]!;
      step++;
      const t0 = performance.now();
      const res = await post(o.agent, port, o.urlPath, activity);
      latencies.push(performance.now() - t0);
      // A message must get at least one reply; a join gets a 200 (the echo bot says nothing to it).
      if (!(res.status === 200 && (activity.type !== 'message' || res.replies.length > 0))) errors++;
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, visitor));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name: o.name,
    turns: latencies.length,
    errors,
    seconds,
    turnsPerSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    timedOut,
    latencies,
  };
}

/** One result from several rounds of the same phase. */
export function combine(name: string, rounds: PhaseResult[]): PhaseResult {
  const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const turns = rounds.reduce((n, r) => n + r.turns, 0);
  const seconds = rounds.reduce((n, r) => n + r.seconds, 0);
  return {
    name,
    turns,
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    seconds,
    turnsPerSecond: seconds > 0 ? turns / seconds : NaN,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    timedOut: rounds.some((r) => r.timedOut),
    latencies,
  };
}

// ---------------------------------------------------------------- the service under test

export interface BenchServer {
  url: string;
  port: number;
  /** Fork → listening with a store that answers, ms (as seen from this process). */
  startupMs: number;
  /** Of which building the app (knowledge, classifier training, stores), ms. */
  createMs: number;
  journal: string;
  /** The service's CPU time so far (user + system), µs. */
  cpuMicros(): Promise<number>;
  memory(options?: { gc?: boolean }): Promise<{ rss: number; maxRss: number; heapUsed: number; heapTotal: number; external: number }>;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** SQLite file (state, or with PostgreSQL the instance's local alert outbox). */
  sqlitePath: string;
  /** PostgreSQL instead of SQLite for the shared stores. */
  databaseUrl?: string;
  /** Write a .cpuprofile / .heapprofile here when the process exits. */
  cpuProfDir?: string;
  heapProfDir?: string;
  /** Run dist/scripts/bench-server.js (after `npm run build`) with plain node, as `npm start` does, instead of the TypeScript through tsx. */
  compiled?: boolean;
}

const ROOT = path.join(__dirname, '..', '..');

/** Start the service (with the echo bot at /api/echo) in its own process, as in production. */
export async function startServer(o: ServerOptions): Promise<BenchServer> {
  const t0 = performance.now();
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_SQLITE: o.sqlitePath };
  delete env.BENCH_DATABASE_URL;
  if (o.databaseUrl) env.BENCH_DATABASE_URL = o.databaseUrl;
  const script = o.compiled ? path.join(ROOT, 'dist', 'scripts', 'bench-server.js') : path.join(ROOT, 'scripts', 'bench-server.ts');
  if (o.compiled && !existsSync(script)) throw new Error(`${path.relative(ROOT, script)} is missing: run npm run build first`);
  const child: ChildProcess = fork(script, [], {
    execArgv: [
      ...(o.compiled ? [] : ['--import', 'tsx']),
      // The SDK's restify touches a deprecated Node API on load; one warning per start says nothing here.
      '--no-deprecation',
      '--expose-gc',
      ...(o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`] : []),
      ...(o.heapProfDir ? ['--heap-prof', `--heap-prof-dir=${o.heapProfDir}`] : []),
    ],
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ask = <T>(type: string, request?: object): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.off('message', onMessage);
        reject(new Error(`bench server did not answer "${type}"`));
      }, 60_000);
      const onMessage = (m: { type?: string }) => {
        if (m?.type !== type) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(m as T);
      };
      child.on('message', onMessage);
      if (request) child.send(request);
    });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.connected) child.send({ type: 'stop' });
    else child.kill();
    await exited;
  };
  try {
    const failed = exited.then(() => {
      throw new Error('bench server exited before it was ready');
    });
    const ready = await Promise.race([ask<{ url: string; journal: string; createMs: number }>('ready'), failed]);
    const startupMs = performance.now() - t0;
    return {
      url: ready.url,
      port: Number(new URL(ready.url).port),
      startupMs,
      createMs: ready.createMs,
      journal: ready.journal,
      cpuMicros: async () => (await ask<{ micros: number }>('cpu', { type: 'cpu' })).micros,
      memory: (options = {}) => ask('memory', { type: 'memory', gc: Boolean(options.gc) }),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

// ---------------------------------------------------------------- micro-benchmarks

let sink = 0;

/** Mean µs per call of fn over msgs, after a warm-up, repeated for at least minMs (and at most maxPasses passes). */
export function timePerMessage(fn: (text: string) => unknown, msgs: string[], minMs = 1000, maxPasses = 100_000): { us: number; calls: number } {
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
  if (sink < 0) console.log(sink);
  return { us: (elapsed * 1000) / calls, calls };
}

export interface ComponentTimings {
  messages: number;
  recognizer: { us: number; calls: number };
  patterns: { us: number; calls: number };
  classifier: { us: number; calls: number };
  crisis: { us: number; calls: number };
  /** Training the crisis classifier (start-up reads it from the artifact cache when it can), ms of CPU. */
  trainMs: number;
  /** The crisis detector on one 10,000-character message of ordinary text, ms. */
  longMessageMs: number;
}

/** The recognizer and the crisis detector alone, in this process, on the knowledge the service loads. */
export function timeComponents(): ComponentTimings {
  const kb = loadKnowledgeBase(knowledgeDir());
  const msgs = timingMessages(kb);
  const recognizer = new Recognizer(kb);
  const rec = timePerMessage((t) => recognizer.recognize(t).candidates.length, msgs);
  const crisis = CrisisDetector.fromKnowledge(kb);
  // Training itself, without the artifact cache that start-up reads it from.
  const prepared = loadTrainingExamples(kb).map((e) => ({ prepared: crisis.prepare(e.text), label: e.label }));
  const trainStart = process.cpuUsage().user;
  new CrisisClassifier(prepared);
  const trainMs = (process.cpuUsage().user - trainStart) / 1000;
  // A long paste of ordinary text: every pattern and window runs over it (a guard against slow patterns).
  const long = msgs.join('. ').repeat(20).slice(0, 10_000);
  return {
    messages: msgs.length,
    recognizer: rec,
    patterns: timePerMessage((t) => crisis.detectByPatterns(t), msgs),
    classifier: timePerMessage((t) => crisis.classifierScore(t), msgs),
    crisis: timePerMessage((t) => crisis.detect(t), msgs),
    longMessageMs: timePerMessage((t) => crisis.detect(t), [long], 300).us / 1000,
    trainMs,
  };
}
