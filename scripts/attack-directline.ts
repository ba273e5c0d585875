/**
 * `npm run attack:directline`: re-runs the Direct Line memory / transcript finding
 * against the service and reports, instead of a timed test, whether the fix holds.
 *
 *   npx tsx scripts/attack-directline.ts [--posts 400] [--conversations 8] [--read-seconds 5] [--compiled]
 *   (--compiled: the service from dist/ with plain node, as `npm start`; run `npm run build` first)
 *
 * The original finding: 400 posts of ~250 KB took RSS from 193 MB to 616 MB, then 10
 * concurrent full-transcript reads stalled /healthz for 5.9 s. Acceptance: /healthz max
 * under 100 ms during the read attack, service RSS under 300 MB.
 *
 * The service runs in its own process (benchDriver's startServer: default config, Direct
 * Line on, temp SQLite, random loopback port). Only 127.0.0.1 is called, every loop is
 * bounded in count and time, and the whole run stops after 60 s whatever happens.
 * Per-IP limits exempt loopback, so this attack is not throttled by IP (from outside it
 * would be, per IP, but an attacker can use many); the per-conversation limit still
 * applies, so the posts are spread over several conversations and its 429s are counted.
 * Exit code 0 whatever the verdict (it is a report); 1 only when the service errored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { HOST, percentile, startServer, type BenchServer } from './lib/benchDriver';

const RUN_LIMIT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 10_000;
const BODY_LIMIT = 256 * 1024; // MAX_BODY_BYTES default
const TARGET_BODY = 250_000; // "about 250 KB", safely under the body limit
const READERS = 10;
const HEALTH_EVERY_MS = 20;
const MAX_PAGES = 50; // a transcript read follows at most this many watermarks
const TARGET_HEALTH_MS = 100;
const TARGET_RSS_MB = 300;

const started = performance.now();
const timeLeft = () => started + RUN_LIMIT_MS - performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');

interface Reply {
  status: number;
  body: Buffer;
}

/** One request to the service; never rejects (status 0 = no answer). */
function request(agent: http.Agent, port: number, method: string, urlPath: string, token?: string, json?: unknown): Promise<Reply> {
  const body = json === undefined ? undefined : JSON.stringify(json);
  const headers: http.OutgoingHttpHeaders = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  return new Promise((resolve) => {
    const req = http.request({ host: HOST, port, method, path: urlPath, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', () => resolve({ status: 0, body: Buffer.alloc(0) }));
    });
    req.setTimeout(Math.min(REQUEST_TIMEOUT_MS, Math.max(1, timeLeft())), () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, body: Buffer.alloc(0) }));
    req.end(body);
  });
}

/** A ~250 KB activity: text at the schema's 100,000-character max, the rest in channelData, value and entities. */
function bigActivity(n: number): Record<string, unknown> {
  const sentence = `visitor ${n} asks about intensive outpatient hours and insurance coverage. `;
  const text = sentence.repeat(Math.ceil(100_000 / sentence.length)).slice(0, 100_000);
  const entities = Array.from({ length: 20 }, (_, i) => ({ type: `junk${i}`, data: 'e'.repeat(2_000) }));
  const activity = { type: 'message', text, channelData: { clientActivityID: `attack-${n}`, pad: '' }, value: { blob: 'v'.repeat(40_000) }, entities };
  // Fill channelData up to the target size (ASCII only, so characters = bytes).
  activity.channelData.pad = 'c'.repeat(Math.max(0, TARGET_BODY - Buffer.byteLength(JSON.stringify(activity))));
  return activity;
}

/** Peak RSS of the service as sampled over IPC while `work` runs. */
async function sampleRss(server: BenchServer, work: Promise<unknown>): Promise<number> {
  let peak = 0;
  let done = false;
  void work.finally(() => (done = true));
  while (!done && timeLeft() > 0) {
    peak = Math.max(peak, (await server.memory()).rss);
    await sleep(200);
  }
  await work;
  return Math.max(peak, (await server.memory()).rss);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { posts: { type: 'string' }, conversations: { type: 'string' }, 'read-seconds': { type: 'string' }, compiled: { type: 'boolean' } },
  });
  const posts = Math.min(2000, Number(values.posts ?? 400));
  const convCount = Math.min(100, Number(values.conversations ?? 8));
  const readMs = Math.min(20, Number(values['read-seconds'] ?? 5)) * 1000;
  if (!(posts > 0 && convCount > 0 && readMs > 0)) throw new Error('--posts, --conversations and --read-seconds must be positive numbers');

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gbac-attack-'));
  const agent = new http.Agent({ keepAlive: true, maxSockets: READERS + convCount });
  // /healthz gets its own connection, as a load balancer's probe would.
  const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let server: BenchServer | undefined;
  let serviceErrors = 0; // 5xx or no answer: the service failed, not the attack
  const failed = (r: Reply) => r.status === 0 || r.status >= 500;
  try {
    server = await startServer({ sqlitePath: path.join(tmp, 'attack.sqlite'), compiled: values.compiled });
    const { port, url } = server;
    console.log(`Service on ${url} in its own process (default config, Direct Line on; loopback is exempt from the per-IP limit)`);
    // After a GC, so the heap used can be compared with the one after the attack.
    const before = await server.memory({ gc: true });
    const rssBefore = before.rss;

    // Conversations with valid tokens, as any page gets them.
    const convs: Array<{ id: string; token: string }> = [];
    for (let i = 0; i < convCount; i++) {
      const gen = await request(agent, port, 'POST', '/v3/directline/tokens/generate');
      if (gen.status !== 200) throw new Error(`tokens/generate answered ${gen.status}`);
      const { token, conversationId } = JSON.parse(gen.body.toString()) as { token: string; conversationId: string };
      const start = await request(agent, port, 'POST', '/v3/directline/conversations', token);
      if (start.status !== 201 && start.status !== 200) throw new Error(`POST /conversations answered ${start.status}`);
      convs.push({ id: conversationId, token });
    }

    // 1. The posts: one sender per conversation (the service runs one turn at a time per conversation anyway).
    const bodyBytes = Buffer.byteLength(JSON.stringify(bigActivity(0)));
    if (bodyBytes > BODY_LIMIT) throw new Error(`activity of ${bodyBytes} bytes is over the body limit`);
    const posted = { accepted: 0, refused429: 0, other: 0 };
    let issued = 0;
    const postStart = performance.now();
    const sender = async (c: { id: string; token: string }) => {
      while (issued < posts && timeLeft() > 15_000) {
        const r = await request(agent, port, 'POST', `/v3/directline/conversations/${c.id}/activities`, c.token, bigActivity(issued++));
        if (r.status === 200) posted.accepted++;
        else if (r.status === 429) posted.refused429++;
        else posted.other++;
        if (failed(r)) serviceErrors++;
      }
    };
    const rssPeakPosts = await sampleRss(server, Promise.all(convs.map(sender)));
    const postSeconds = (performance.now() - postStart) / 1000;
    const rssAfterPosts = (await server.memory()).rss;

    // 2. The read attack: 10 readers, each reading a whole transcript page by page, again and again,
    //    while /healthz is probed every 20 ms.
    const readUntil = performance.now() + Math.min(readMs, Math.max(0, timeLeft() - 5_000));
    const health: number[] = [];
    const readBytes: number[] = [];
    let readPages = 0;
    // Timed from this process, which also parses the readers' pages: an upper bound on the service's delay.
    const probe = async () => {
      while (performance.now() < readUntil) {
        const t0 = performance.now();
        const r = await request(probeAgent, port, 'GET', '/healthz');
        health.push(performance.now() - t0);
        if (r.status !== 200) serviceErrors++;
        await sleep(HEALTH_EVERY_MS - (performance.now() - t0));
      }
    };
    const reader = async (i: number) => {
      const c = convs[i % convs.length]!;
      for (let reads = 0; reads < 10_000 && performance.now() < readUntil; reads++) {
        let watermark = '';
        let bytes = 0;
        for (let page = 0; page < MAX_PAGES; page++) {
          const q = watermark ? `?watermark=${watermark}` : '';
          const r = await request(agent, port, 'GET', `/v3/directline/conversations/${c.id}/activities${q}`, c.token);
          if (r.status !== 200) {
            if (failed(r)) serviceErrors++;
            break;
          }
          bytes += r.body.length;
          readPages++;
          const set = JSON.parse(r.body.toString()) as { activities: unknown[]; watermark: string };
          // An empty page, or the same watermark back, is the end of the transcript.
          if (set.activities.length === 0 || set.watermark === watermark) break;
          watermark = set.watermark;
        }
        readBytes.push(bytes);
      }
    };
    const attack = Promise.all([probe(), ...Array.from({ length: READERS }, (_, i) => reader(i))]);
    const rssPeakReads = await sampleRss(server, attack);
    const rssAfter = (await server.memory()).rss;
    const lifetimePeak = (await server.memory()).maxRss;
    // After a forced GC: what the service still holds, as opposed to garbage not yet collected.
    const settled = await server.memory({ gc: true });

    health.sort((a, b) => a - b);
    readBytes.sort((a, b) => a - b);
    const healthMax = health.length ? health[health.length - 1]! : NaN;
    const rssPeak = Math.max(rssPeakPosts, rssPeakReads, rssAfter);

    console.log(`\nposts: ${posts} requested of ${bodyBytes.toLocaleString('en-US')} bytes each over ${convCount} conversations in ${postSeconds.toFixed(1)} s`);
    console.log(`  accepted ${posted.accepted}, refused 429 (per-conversation limit) ${posted.refused429}, other ${posted.other}`);
    console.log(`service RSS: before ${mb(rssBefore)} MB, after posts ${mb(rssAfterPosts)} MB, after reads ${mb(rssAfter)} MB`);
    console.log(`  peak sampled ${mb(rssPeak)} MB (every 200 ms); process lifetime peak (maxRSS) ${mb(lifetimePeak)} MB`);
    console.log(`  after a forced GC: RSS ${mb(settled.rss)} MB, heap used ${mb(settled.heapUsed)} MB (${mb(before.heapUsed)} MB before the attack), external ${mb(settled.external)} MB`);
    console.log(`read attack: ${READERS} concurrent readers for ${(readMs / 1000).toFixed(0)} s, ${readBytes.length} full-transcript reads (${readPages} pages)`);
    console.log(`  bytes per transcript read: median ${percentile(readBytes, 50).toLocaleString('en-US')}, max ${percentile(readBytes, 100).toLocaleString('en-US')}`);
    console.log(`/healthz during the read attack (${health.length} probes): p50 ${ms(percentile(health, 50))} ms, p99 ${ms(percentile(health, 99))} ms, max ${ms(healthMax)} ms`);
    console.log(`service errors (5xx or no answer): ${serviceErrors}\n`);
    const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    console.log(`${verdict(healthMax < TARGET_HEALTH_MS)}  /healthz max < ${TARGET_HEALTH_MS} ms during the transcript attack (${ms(healthMax)} ms)`);
    console.log(`${verdict(rssPeak < TARGET_RSS_MB * 1024 * 1024)}  service RSS < ${TARGET_RSS_MB} MB (sampled peak ${mb(rssPeak)} MB)`);
    return serviceErrors === 0 ? 0 : 1;
  } finally {
    agent.destroy();
    probeAgent.destroy();
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

// The run limit, whatever a stuck request or the service does.
const hardStop = setTimeout(() => {
  console.error(`attack-directline: stopped at the ${RUN_LIMIT_MS / 1000} s limit + 15 s`);
  process.exit(1);
}, RUN_LIMIT_MS + 15_000);
hardStop.unref();

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`attack-directline failed: ${(err as Error).message}`);
    process.exitCode = 1;
  },
);
