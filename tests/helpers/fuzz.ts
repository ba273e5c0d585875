import fc from 'fast-check';
import nock from 'nock';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { App } from '../../src/app';
import { createLogger } from '../../src/logger';
import { startApp } from './app';
import { describeFuzzRequest, directLineRequestArb, messagesRequestArb, type FuzzRequest, type FuzzTargets } from './hostileInput';
import { startConversation } from '../directline/client';

/**
 * Fuzz (issue #7): thousands of generated hostile requests against the real service,
 * in-process. FUZZ_RUNS = requests in all (default 10,000, half to /api/messages, half
 * to Direct Line), FUZZ_SEED = the seed (fixed by default; printed, so a failure replays).
 * Each endpoint's half runs in a file of its own (tests/http/hostileInput.fuzz.*.test.ts),
 * so two jest workers share the work; each file then checks the service it fuzzed.
 */
const TOTAL = Number(process.env.FUZZ_RUNS || 10_000);
const SEED = Number(process.env.FUZZ_SEED || 20_250_507);
const BATCH = 8; // requests in flight at once
const MAX_BODY_BYTES = 16 * 1024; // small, so "beyond the limit" bodies stay cheap to generate
const MAX_MESSAGE_CHARS = 2000;
const APOLOGY = /something went wrong on my side/i; // onTurnError's reply: a crash seen by the visitor
const LEAK = /\bundefined\b|\[object Object\]|\bNaN\b|at \S+ \(|Error:/;

interface Seen {
  status: number;
  text: string;
}

const statuses = new Map<string, Map<number, number>>();
const reasons = new Map<string, number>();
function count(group: string, status: number): void {
  const byStatus = statuses.get(group) ?? new Map<number, number>();
  byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  statuses.set(group, byStatus);
}

/** What a visitor could read in a reply, as one string. */
function readable(activity: Record<string, unknown>): string {
  return JSON.stringify([activity.text, activity.attachments, activity.suggestedActions]);
}

/** A problem with this answer, or undefined when it is a clean 4xx JSON error or a polite 200. */
function problem(req: FuzzRequest, res: Seen): string | undefined {
  if (res.status >= 500) return `status ${res.status}`;
  let body: unknown;
  try {
    body = res.text ? JSON.parse(res.text) : undefined;
  } catch {
    return 'the answer is not JSON';
  }
  if (res.status >= 400) {
    if (res.status > 499) return `status ${res.status}`;
    const error = (body as { error?: unknown } | undefined)?.error;
    return typeof error === 'string' && error.length > 0 ? undefined : 'a 4xx without an {error} string';
  }
  if (res.status !== 200 && res.status !== 201) return `unexpected status ${res.status}`;
  // /api/messages without expectReplies: the replies went to the serviceUrl; nothing in the body.
  if (body === undefined) return req.path.startsWith('/v3/') ? 'an empty Direct Line answer' : undefined;
  if (typeof body !== 'object' || body === null) return 'a 200 that is not a JSON object';
  const replies = (body as { activities?: Array<Record<string, unknown>> }).activities ?? [];
  for (const reply of replies) {
    const text = readable(reply);
    if (APOLOGY.test(text)) return 'the turn failed (onTurnError apology)';
    if (reply.from && (reply.from as { role?: string }).role === 'bot' && LEAK.test(String(reply.text ?? ''))) return 'a reply leaks internals';
  }
  return undefined;
}

async function send(url: string, req: FuzzRequest): Promise<Seen> {
  const res = await fetch(`${url}${req.path}`, { method: req.method, headers: req.headers, body: req.body });
  return { status: res.status, text: await res.text() };
}

function describeRequest(req: FuzzRequest, res: Seen | undefined, why: string): string {
  return `${why}: ${describeFuzzRequest(req)} → ${res ? `${res.status} ${res.text.slice(0, 300)}` : 'no answer'}`;
}

export type FuzzedEndpoint = 'messages' | 'directline';

export function fuzzSuite(endpoint: FuzzedEndpoint): void {
  describe(`hostile input (fuzz): ${endpoint === 'messages' ? '/api/messages' : 'Direct Line'}`, () => {
    let app: App;
    let url: string;
    let channel: http.Server;
    const channelPosts: Array<Record<string, unknown>> = [];
    /** Every outbound HTTP attempt the process makes (nock sees them all: no interceptor is defined). */
    const outbound: string[] = [];
    const onRequest = (req: { hostname?: string; host?: string }) => outbound.push(String(req.hostname ?? req.host ?? ''));
    const errors: string[] = [];
    let targets: FuzzTargets;

    beforeAll(async () => {
      // A loopback "channel": the only place a reply without expectReplies may go.
      channel = http.createServer((req, res) => {
        let raw = '';
        req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
        req.on('end', () => {
          try {
            channelPosts.push(JSON.parse(raw) as Record<string, unknown>);
          } catch {
            channelPosts.push({ raw });
          }
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"id":"ok"}');
        });
      });
      await new Promise<void>((resolve) => channel.listen(0, '127.0.0.1', resolve));
      // Errors the service logs (crashes caught by a handler, failed turns): there must be none.
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          errors.push(chunk.toString('utf8').slice(0, 500));
          done();
        },
      });
      ({ app, url } = await startApp(
        { MAX_BODY_BYTES: String(MAX_BODY_BYTES), MAX_MESSAGE_CHARS: String(MAX_MESSAGE_CHARS) },
        { logger: createLogger('error', sink) },
      ));
      nock.emitter.on('no match', onRequest);
      const conversations = [];
      for (let i = 0; i < 24; i++) conversations.push(await startConversation(url));
      targets = {
        maxBodyBytes: MAX_BODY_BYTES,
        maxMessageChars: MAX_MESSAGE_CHARS,
        channelUrl: `http://127.0.0.1:${(channel.address() as AddressInfo).port}/`,
        conversations: conversations.map(({ conversationId, token }) => ({ conversationId, token })),
      };
      console.log(`fuzz: seed ${SEED}, ${TOTAL} requests (FUZZ_RUNS, FUZZ_SEED to change), ${BATCH} at a time`);
    });

    afterAll(async () => {
      nock.emitter.removeListener('no match', onRequest);
      await app?.close();
      await new Promise<void>((resolve) => channel.close(() => resolve()));
      nock.enableNetConnect();
      const lines = [...statuses].map(([group, byStatus]) => `${group}: ${[...byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
      console.log(`fuzz statuses (seed ${SEED}):\n${lines.join('\n')}`);
      if (reasons.size) {
        console.log([...reasons].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.FUZZ_VERBOSE) > 1 ? 400 : 40).map(([r, n]) => `${n} ${r}`).join('\n'));
      }
    });

    const run = (arb: () => fc.Arbitrary<FuzzRequest>, requests: number, seed: number) =>
      fc.assert(
        fc.asyncProperty(fc.array(fc.constant(null).chain(() => arb()), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
          const answers = await Promise.all(batch.map((req) => send(url, req).catch(() => undefined)));
          batch.forEach((req, i) => {
            const res = answers[i];
            if (!res) throw new Error(describeRequest(req, res, 'no answer (connection dropped)'));
            count(req.kind.split(':')[0]!, res.status);
            if (process.env.FUZZ_VERBOSE && res.status >= 400) {
              const reason = `${req.kind.split(':')[0]} ${res.status} ${res.text.replace(/\d+/g, 'N').slice(0, 90)}`;
              reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
            }
            const why = problem(req, res);
            if (why) throw new Error(describeRequest(req, res, why));
          });
          if (errors.length) {
            const first = errors.splice(0).at(0)!;
            throw new Error(`the service logged an error during this batch: ${first}`);
          }
        }),
        { seed, numRuns: Math.ceil(requests / BATCH), endOnFailure: true, includeErrorInReport: true },
      );

    if (endpoint === 'messages') {
      it('when /api/messages gets thousands of hostile requests, then every answer is a 4xx JSON error or a polite 200, and nothing is logged as an error', async () => {
        await run(() => messagesRequestArb(targets), TOTAL / 2, SEED);
      }, 300_000);
    } else {
      it('when the Direct Line endpoint gets thousands of hostile requests, then every answer is a 4xx JSON error or a polite 200, and nothing is logged as an error', async () => {
        await run(() => directLineRequestArb(targets), TOTAL / 2, SEED + 1);
      }, 300_000);
    }

    it('when the fuzzing is over, then the server still answers /healthz and the conversations read back without any failed turn', async () => {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      for (const { conversationId, token } of targets.conversations) {
        const res = await fetch(`${url}/v3/directline/conversations/${conversationId}/activities`, { headers: { authorization: `Bearer ${token}` } });
        expect(res.status).toBe(200);
        const log = (await res.json()) as { activities: Array<Record<string, unknown>> };
        expect(log.activities.filter((a) => APOLOGY.test(readable(a)))).toEqual([]);
      }
      expect(channelPosts.filter((a) => APOLOGY.test(readable(a)))).toEqual([]);
      expect(errors).toEqual([]);
    });

    it('when the fuzzing is over, then the bot never tried to reach anything but loopback (no forged serviceUrl was called)', async () => {
      // The recorder works: an attempt to reach the metadata address is seen (and refused by nock).
      await fetch('http://169.254.169.254/latest/meta-data/').catch(() => undefined);
      expect(outbound).toContain('169.254.169.254');
      const foreign = outbound.slice(0, -1).filter((host) => !/^(127\.0\.0\.1|localhost|\[?::1\]?)$/.test(host));
      expect(foreign).toEqual([]);
      // Replies to /api/messages without expectReplies did go somewhere: to the loopback channel only.
      if (endpoint === 'messages') expect(channelPosts.length).toBeGreaterThan(0);
    });
  });
}
