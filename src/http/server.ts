import type { CloudAdapter } from 'botbuilder';
import type { ActivityHandlerBase } from 'botbuilder';
import * as restify from 'restify';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { ActivityPayloadSchema, describePayloadError } from './activityPayload';
import { refusalWithoutAuth } from './authOff';
import { MAX_JSON_DEPTH, nestedTooDeep } from './jsonDepth';
import { installSecurityHeaders } from './securityHeaders';

export interface ServerDeps {
  config: Config;
  logger: Logger;
  adapter: CloudAdapter;
  bot: ActivityHandlerBase;
  /** A minimal echo bot on the same adapter and server, for `npm run bench`. */
  echoBot?: ActivityHandlerBase;
  /** The echo bot with one conversation-state read and write per turn (the benchmark's floor). */
  stateEchoBot?: ActivityHandlerBase;
  /** The store answers; may be async (PostgreSQL), and must never throw or hang. */
  ready: () => boolean | Promise<boolean>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function sendError(res: restify.Response, status: number, message: string): void {
  if (res.headersSent) return;
  res.status(status);
  res.json({ error: message });
}

/** Read a JSON body ourselves so bad input gets a short, content-free 4xx. `allowEmpty` turns an empty body into undefined. */
export function readJsonBody(req: restify.Request, limit: number, options: { allowEmpty?: boolean } = {}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new HttpError(413, `body larger than ${limit} bytes`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new HttpError(413, `body larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      if (!failed) reject(new HttpError(400, 'could not read body'));
      failed = true;
    });
    req.on('end', () => {
      if (failed) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text.trim()) return options.allowEmpty ? resolve(undefined) : reject(new HttpError(400, 'empty body'));
      if (nestedTooDeep(text)) return reject(new HttpError(400, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`));
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new HttpError(400, 'malformed JSON'));
      }
    });
  });
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

/** With auth off nothing proves who sent the activity, so replies may only go to local (or listed) service URLs. */
export function serviceUrlAllowed(serviceUrl: string | undefined, config: Config): boolean {
  if (!serviceUrl) return false;
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (LOOPBACK.test(url.hostname)) return true;
  const allowed = (config.ALLOWED_SERVICE_URLS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return allowed.some((a) => {
    try {
      return new URL(a).origin === url.origin;
    } catch {
      return false;
    }
  });
}

export function createServer(deps: ServerDeps): restify.Server {
  const { config, logger, adapter } = deps;
  const server = restify.createServer({ name: 'gbac-admissions-bot', handleUncaughtExceptions: false });
  // First of the pre-handlers, so every answer carries them, refusals included.
  installSecurityHeaders(server, { trustProxy: config.TRUST_PROXY, hstsMaxAgeSeconds: config.HSTS_MAX_AGE_SECONDS });

  const messages = (bot: ActivityHandlerBase) => async (req: restify.Request, res: restify.Response) => {
    try {
      if (config.authEnabled && !req.headers.authorization) throw new HttpError(401, 'authorization required');
      const body = await readJsonBody(req, config.MAX_BODY_BYTES);
      const parsed = ActivityPayloadSchema.safeParse(body);
      if (!parsed.success) throw new HttpError(400, describePayloadError(parsed.error));
      const activity = parsed.data;
      const refusal = config.authEnabled ? undefined : refusalWithoutAuth(activity);
      if (refusal) throw new HttpError(403, refusal);
      if (!config.authEnabled && activity.deliveryMode !== 'expectReplies' && !serviceUrlAllowed(activity.serviceUrl, config)) {
        throw new HttpError(400, 'serviceUrl not allowed while auth is off (use deliveryMode "expectReplies" or a local serviceUrl)');
      }
      (req as restify.Request & { body: unknown }).body = body;
      await adapter.process(req as never, res as never, (context) => bot.run(context));
    } catch (err) {
      if (err instanceof HttpError) {
        logger.info({ event: 'rejected', status: err.status, reason: err.message }, 'request rejected');
        sendError(res, err.status, err.message);
      } else {
        logger.error({ event: 'request-failed', err: { message: (err as Error).message, stack: (err as Error).stack } }, 'request failed');
        sendError(res, 500, 'internal error');
      }
    }
  };

  server.post('/api/messages', messages(deps.bot));
  if (deps.echoBot) server.post('/api/echo', messages(deps.echoBot));
  if (deps.stateEchoBot) server.post('/api/echo-state', messages(deps.stateEchoBot));

  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    res.json({ status: 'ok' });
  });
  server.get('/readyz', async (_req: restify.Request, res: restify.Response) => {
    const ok = await deps.ready();
    res.status(ok ? 200 : 503);
    res.json({ status: ok ? 'ready' : 'not ready' });
  });

  server.on('restifyError', (req: restify.Request, res: restify.Response, err: Error & { statusCode?: number }, cb: () => void) => {
    // Unknown routes and methods: keep restify's status, never echo the request.
    res.status(err.statusCode ?? 500);
    (err as { toJSON?: () => unknown }).toJSON = () => ({ error: err.statusCode === 404 ? 'not found' : err.message });
    return cb();
  });
  return server;
}
