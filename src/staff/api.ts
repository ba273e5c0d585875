import type * as restify from 'restify';
import { z } from 'zod';
import { channelKind } from '../channels/render';
import { formatUsPhone } from '../core/handoff/contact';
import { describePreferences } from '../core/handoff/contactPreferences';
import type { HandoffLanguage, HandoffRequest } from '../core/handoff/handoffRequest';
import type { HandoffService } from '../core/handoff/handoffService';
import type { ScreeningResult } from '../core/screening/screening';
import type { StaffSummary } from '../core/screening/staffSummary';
import type { UnansweredLog } from '../core/storage/unansweredLog';
import { groupId, HIDDEN_TEXT, reviewText, type UnansweredGroup } from '../core/storage/unansweredReview';
import type { Logger } from '../logger';
import type { StaffAuth } from './auth';
import { ApiError, noStore, readJson, sendJson } from './http';
import type { LiveChat } from './live';
import { periodSchema, reportView, requireReports, type ReportsSource } from './reports';
import { clearedCookie, sessionCookie, type StaffSession } from './session';

/**
 * Delivery failures of staff alerts (Teams, webhook), shown in the console.
 * Plugged in by the alerts module when it is merged; optional here.
 */
export interface AlertsSource {
  recentFailures(): Promise<unknown[]> | unknown[];
}

/** A completed screening in staff wording (knowledge/staff-summary.yaml). */
export type Summarise = (result: ScreeningResult) => StaffSummary;

export interface StaffApiDeps {
  auth: StaffAuth;
  handoffs: HandoffService;
  /** Present when HANDOFF_LIVE=true. */
  live?: LiveChat;
  alerts?: AlertsSource;
  /** The Reports page's counts (daily metrics, unanswered groups). */
  reports?: ReportsSource;
  logger: Logger;
  summarise?: Summarise;
  /** The unanswered-question log, for the review page (undefined when RECORD_UNANSWERED is off). */
  unanswered?: UnansweredLog;
  /** The FAQ entries by id, with their titles: what a group may be added to. */
  entryTitles?: ReadonlyMap<string, string>;
}

const LoginBody = z.strictObject({ login: z.string().trim().min(1).max(64), password: z.string().min(1).max(1024) });
const NoteBody = z.strictObject({ note: z.string().trim().min(1, { error: 'note must not be empty' }).max(2000) });
const MessageBody = z.strictObject({ text: z.string().trim().min(1, { error: 'text must not be empty' }).max(2000) });
const Empty = z.union([z.strictObject({}), z.undefined()]);
const MarkBody = z.discriminatedUnion(
  'mark',
  [
    z.strictObject({ mark: z.literal('add-to-entry'), entryId: z.string().trim().min(1, { error: 'entryId must name an entry' }).max(100) }),
    z.strictObject({ mark: z.literal('new-entry') }),
    z.strictObject({ mark: z.literal('off-topic') }),
  ],
  { error: 'mark must be "add-to-entry" (with an entryId), "new-entry" or "off-topic"' },
);
/** The groups the review page lists (and may mark): the most frequent. */
const REVIEW_LIMIT = 200;
const After = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0);

/** "5 seconds", "3 minutes": what the login form shows. */
function wait(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

export function parse<T>(schema: z.ZodType<T, unknown>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new ApiError(400, `${where}${issue?.message ?? 'invalid body'}`);
}

/** The channel as staff say it: "web chat", "SMS", "Teams" (an unknown channel id as it is). */
export function channelName(channel: string): string {
  const kind = channelKind(channel);
  if (kind === 'sms') return 'SMS';
  if (kind === 'teams') return 'Teams';
  return ['webchat', 'directline'].includes(channel.toLowerCase()) ? 'web chat' : channel;
}

export const LANGUAGE_NAMES: Record<HandoffLanguage, string> = { en: 'English', es: 'Spanish' };

/** What the console shows of a request: everything but the channel's conversation reference (internal). */
export function requestView(r: HandoffRequest, live: boolean, summarise?: Summarise) {
  const s = r.screening;
  return {
    id: r.id,
    reference: r.reference,
    status: r.status,
    priority: r.priority,
    reason: r.reason,
    channel: r.channel,
    /** The channel in words ("web chat", "SMS", "Teams"). */
    channelName: channelName(r.channel),
    /** 'es': the visitor was answered in Spanish; call back in Spanish. */
    language: r.language,
    /** The language in words ("English", "Spanish"). */
    languageName: LANGUAGE_NAMES[r.language],
    name: r.name,
    phone: r.phone,
    /** The phone as people read it: "(617) 555-0142"; the tel: link uses phone. */
    phoneDisplay: r.phone ? formatUsPhone(r.phone) : undefined,
    bestTime: r.bestTime,
    contactConsent: r.contactConsent,
    contactPreferences: r.contactPreferences,
    /** The same in words, as the console shows it ("No texts; no voicemail"). */
    contactPreferencesText: describePreferences(r.contactPreferences) || undefined,
    claimedBy: r.claimedBy,
    claimedAt: r.claimedAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    live,
    screening: s && {
      level: s.level,
      levelName: s.levelName,
      rule: s.rule,
      /** The screening written for staff: "Suggested: IOP. Answered for someone else. The visitor said: …". */
      staffSummary: summarise?.(s),
      /** As the visitor was told them ("you're using every day"); staff read staffSummary. */
      reasons: s.reasons,
      /** Answered by someone for another person (a parent for a son…): the reasons say "they". */
      forSomeoneElse: Boolean(s.forSomeoneElse),
      answers: s.answers,
      dimensions: s.dimensions,
      completedAt: s.completedAt,
    },
    transcriptExcerpt: r.transcriptExcerpt,
  };
}

/**
 * A group of unanswered questions as the review page shows it: an opaque id (the group's key is the
 * question's words), and the text only when the scrubber finds nothing in it (reviewText).
 */
export function groupView(g: UnansweredGroup, titles: ReadonlyMap<string, string> = new Map()) {
  const text = reviewText(g.example);
  const entry = (id: string | null | undefined) => (id ? { id, title: titles.get(id) } : null);
  return {
    id: groupId(g.normalized),
    text: text ?? HIDDEN_TEXT,
    hidden: text === undefined,
    count: g.count,
    lastSeen: g.lastSeen.toISOString(),
    closestEntry: entry(g.bestCandidate),
    mark: g.mark ? { kind: g.mark.kind, entry: entry(g.mark.entryId), by: g.mark.by, at: g.mark.at.toISOString() } : null,
  };
}

/**
 * State-changing calls must be JSON: a cross-site form cannot send that without a
 * CORS preflight we never answer. With SameSite=Strict cookies, that is the CSRF guard.
 */
function requireJsonPost(req: restify.Request): void {
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new ApiError(415, 'send JSON (content-type: application/json)');
  const origin = req.headers.origin;
  if (origin && origin !== 'null') {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host !== req.headers.host) throw new ApiError(403, 'cross-origin request refused');
  } else if (origin === 'null') {
    throw new ApiError(403, 'cross-origin request refused');
  }
}

type Handler = (req: restify.Request, staff: StaffSession, body: unknown, res: restify.Response) => Promise<[number, unknown]>;

/** The staff API under /staff/api (login at /staff/login). Every /staff/api route requires a session. */
export function registerStaffApi(server: restify.Server, deps: StaffApiDeps): void {
  const { auth, handoffs, logger } = deps;

  const fail = (res: restify.Response, err: unknown) => {
    if (err instanceof ApiError) {
      if ((err.status === 429 || err.status === 503) && typeof err.extra.retryAfterSeconds === 'number') res.header('Retry-After', String(err.extra.retryAfterSeconds));
      sendJson(res, err.status, { error: err.message, ...err.extra });
      return;
    }
    logger.error({ event: 'staff-api-failed', err: { message: (err as Error).message, stack: (err as Error).stack } }, 'staff API failed');
    sendJson(res, 500, { error: 'internal error' });
  };

  const guarded = (handler: Handler) => async (req: restify.Request, res: restify.Response) => {
    try {
      noStore(res);
      const staff = await auth.authenticate(req);
      if (!staff) {
        req.resume();
        throw new ApiError(401, 'login required');
      }
      let body: unknown;
      if (req.method === 'POST') {
        requireJsonPost(req);
        body = await readJson(req);
      }
      const [status, out] = await handler(req, staff, body, res);
      sendJson(res, status, out);
    } catch (err) {
      fail(res, err);
    }
  };

  const get = (path: string, handler: Handler) => server.get(path, guarded(handler));
  const post = (path: string, handler: Handler) => server.post(path, guarded(handler));

  const id = (req: restify.Request) => String((req.params as Record<string, unknown> | undefined)?.id ?? '');
  const load = async (req: restify.Request) => {
    const request = await handoffs.store.get(id(req));
    if (!request) throw new ApiError(404, 'no such request');
    return request;
  };
  const isLive = async (requestId: string) => {
    const t = await deps.live?.store.get(requestId);
    return Boolean(t && !t.endedAt);
  };
  const audit = (action: string, requestId: string, staff: string) =>
    logger.info({ event: 'staff-action', action, request: requestId, staff }, `staff ${action}`);
  const requireLive = () => {
    if (!deps.live) throw new ApiError(404, 'live chat is off (HANDOFF_LIVE)');
    return deps.live;
  };

  // Login is the one route that takes no session.
  server.post('/staff/login', async (req: restify.Request, res: restify.Response) => {
    try {
      noStore(res);
      requireJsonPost(req);
      const body = parse(LoginBody, await readJson(req));
      const result = await auth.login(auth.clientIp(req), body.login, body.password);
      if (!result.ok) {
        logger.info({ event: 'staff-login-failed', status: result.status }, 'staff login refused');
        if (result.status === 429) throw new ApiError(429, `too many attempts; try again in ${wait(result.retryAfterSeconds)}`, { retryAfterSeconds: result.retryAfterSeconds });
        if (result.status === 503) throw new ApiError(503, 'busy checking other logins; try again in a moment', { retryAfterSeconds: result.retryAfterSeconds });
        throw new ApiError(401, 'wrong login or password');
      }
      const maxAge = Math.floor(auth.signer.lifetimeMs / 1000);
      res.header('Set-Cookie', sessionCookie(result.token, maxAge, auth.isSecure(req)));
      logger.info({ event: 'staff-login', staff: result.session.login }, 'staff logged in');
      sendJson(res, 200, { login: result.session.login, expiresAt: new Date(result.session.exp).toISOString() });
    } catch (err) {
      fail(res, err);
    }
  });

  get('/staff/api/me', async (_req, staff) => [200, { login: staff.login, expiresAt: new Date(staff.exp).toISOString(), liveChat: Boolean(deps.live) }]);

  post('/staff/api/logout', async (req, staff, body, res) => {
    parse(Empty, body);
    await auth.logout(staff);
    res.header('Set-Cookie', clearedCookie(auth.isSecure(req)));
    return [200, { ok: true }];
  });

  get('/staff/api/requests', async () => {
    const [requests, live] = await Promise.all([handoffs.store.listActive(), deps.live ? deps.live.store.liveRequestIds() : new Set<string>()]);
    return [200, { requests: requests.map((r) => requestView(r, live.has(r.id), deps.summarise)) }];
  });

  get('/staff/api/requests/:id', async (req) => {
    const request = await load(req);
    return [200, { request: requestView(request, await isLive(request.id), deps.summarise), audit: await handoffs.store.audit(request.id) }];
  });

  post('/staff/api/requests/:id/claim', async (req, staff, body) => {
    parse(Empty, body);
    const request = await load(req);
    const result = await handoffs.claim(request.id, staff.login);
    if (!result.ok) {
      if (result.status === 'claimed') throw new ApiError(409, `already claimed by ${result.claimedBy}`, { claimedBy: result.claimedBy });
      throw new ApiError(409, `the request is ${result.status ?? 'gone'}`, { status: result.status });
    }
    audit('claim', request.id, staff.login);
    return [200, { request: requestView(result.request, false, deps.summarise) }];
  });

  post('/staff/api/requests/:id/notes', async (req, staff, body) => {
    const { note } = parse(NoteBody, body);
    const request = await load(req);
    await handoffs.addNote(request.id, staff.login, note);
    audit('note', request.id, staff.login);
    return [201, { ok: true }];
  });

  post('/staff/api/requests/:id/resolve', async (req, staff, body) => {
    parse(Empty, body);
    const request = await load(req);
    if (request.status !== 'claimed') throw new ApiError(409, request.status === 'open' ? 'claim the request before resolving it' : `the request is ${request.status}`, { status: request.status });
    if (request.claimedBy !== staff.login) throw new ApiError(403, 'only the staff member who claimed this request may resolve it', { claimedBy: request.claimedBy });
    await deps.live?.end(request.id, staff.login);
    if (!(await handoffs.resolve(request.id, staff.login))) throw new ApiError(409, 'the request changed; reload it');
    audit('resolve', request.id, staff.login);
    return [200, { request: requestView((await handoffs.store.get(request.id))!, false, deps.summarise) }];
  });

  post('/staff/api/requests/:id/reopen', async (req, staff, body) => {
    parse(Empty, body);
    const request = await load(req);
    if (request.status === 'open') throw new ApiError(409, 'the request is already open', { status: request.status });
    if (request.status === 'withdrawn') throw new ApiError(409, 'the visitor withdrew this request; it cannot be reopened', { status: request.status });
    // Reopening takes the request from whoever had it; a live chat with the visitor ends.
    await deps.live?.end(request.id, staff.login);
    if (!(await handoffs.reopen(request.id, staff.login))) throw new ApiError(409, 'the request changed; reload it');
    audit('reopen', request.id, staff.login);
    return [200, { request: requestView((await handoffs.store.get(request.id))!, false, deps.summarise) }];
  });

  post('/staff/api/requests/:id/takeover', async (req, staff, body) => {
    parse(Empty, body);
    const takeover = await requireLive().start(id(req), staff.login);
    audit('takeover-start', takeover.requestId, staff.login);
    return [200, { live: takeover }];
  });

  post('/staff/api/requests/:id/takeover/end', async (req, staff, body) => {
    parse(Empty, body);
    const live = requireLive();
    const request = await load(req);
    const takeover = await live.store.get(request.id);
    if (!takeover || takeover.endedAt) throw new ApiError(409, 'the live chat is not on');
    if (takeover.staff !== staff.login) throw new ApiError(403, 'only the staff member in the chat may end it', { staff: takeover.staff });
    await live.end(request.id, staff.login);
    audit('takeover-end', request.id, staff.login);
    return [200, { ok: true }];
  });

  post('/staff/api/requests/:id/messages', async (req, staff, body) => {
    const { text } = parse(MessageBody, body);
    const message = await requireLive().send(id(req), staff.login, text);
    return [201, { message }];
  });

  const query = (req: restify.Request) => new URL(req.url ?? '/', 'http://localhost').searchParams;

  get('/staff/api/requests/:id/messages', async (req, staff) => {
    const after = parse(After, query(req).get('after') ?? undefined);
    return [200, await requireLive().poll(id(req), staff.login, after)];
  });

  // The Reports page: counts by day over a period (?from=YYYY-MM-DD&to=YYYY-MM-DD, at most a year).
  get('/staff/api/reports', async (req) => {
    const source = requireReports(deps.reports);
    const period = parse(periodSchema(source.metrics.today()), Object.fromEntries(query(req)));
    return [200, await reportView(source, period)];
  });

  // The unanswered review (its own page, /staff/unanswered): groups of questions the bot could not answer, and staff marks.
  const titles = deps.entryTitles ?? new Map<string, string>();
  const requireLog = () => {
    if (!deps.unanswered) throw new ApiError(404, 'the unanswered log is off (RECORD_UNANSWERED)');
    return deps.unanswered;
  };
  get('/staff/api/unanswered', async () => {
    const groups = deps.unanswered ? await deps.unanswered.review(REVIEW_LIMIT) : [];
    const entries = [...titles].map(([id, title]) => ({ id, title }));
    return [200, { enabled: Boolean(deps.unanswered), groups: groups.map((g) => groupView(g, titles)), entries }];
  });

  post('/staff/api/unanswered/:id/mark', async (req, staff, body) => {
    const input = parse(MarkBody, body);
    const log = requireLog();
    const entryId = input.mark === 'add-to-entry' ? input.entryId : undefined;
    if (entryId !== undefined && !titles.has(entryId)) throw new ApiError(400, `entryId: no entry "${entryId}" in the knowledge base`);
    const group = (await log.review(REVIEW_LIMIT)).find((g) => groupId(g.normalized) === id(req));
    if (!group) throw new ApiError(404, 'no such group of unanswered questions');
    const mark = { kind: input.mark, entryId, by: staff.login, at: new Date() };
    await log.mark(group.normalized, mark);
    logger.info({ event: 'staff-action', action: 'unanswered-mark', mark: input.mark, staff: staff.login }, 'staff unanswered-mark');
    return [200, { group: groupView({ ...group, mark }, titles) }];
  });

  // Alert delivery failures (Teams, webhook): filled in when the alerts module is plugged in.
  get('/staff/api/alerts', async () => [200, { enabled: Boolean(deps.alerts), failures: deps.alerts ? await deps.alerts.recentFailures() : [] }]);
}
