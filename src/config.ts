import * as path from 'node:path';
import { z } from 'zod';
import { isTimeZone } from './core/metrics/days';
import { isOrigin, parseOrigins } from './directline/origins';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());
const int = (min: number, max: number, fallback: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: `must be a whole number from ${min} to ${max}` })
      .int({ error: `must be a whole number from ${min} to ${max}` })
      .min(min, { error: `must be a whole number from ${min} to ${max}` })
      .max(max, { error: `must be a whole number from ${min} to ${max}` })
      .default(fallback),
  );
const bool = (fallback: boolean) =>
  z.preprocess(
    emptyToUndefined,
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  );

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    // A Unix socket is named by ?host=/path instead of a host name.
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && (url.hostname !== '' || url.searchParams.has('host'));
  } catch {
    return false;
  }
}

const STAFF_USERS_FORMAT = 'must be comma-separated login:hash entries (hashes from npm run staff:hash-password)';
/** "maria:scrypt.…,devon:scrypt.…": logins are simple words, hashes in the format staff:hash-password prints. */
function staffUsersValid(value: string): boolean {
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  const logins = new Set<string>();
  for (const e of entries) {
    const m = /^([A-Za-z0-9._@-]{1,64}):(scrypt\.\d+\.\d+\.\d+\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{32,})$/.exec(e);
    if (!m || logins.has(m[1]!.toLowerCase())) return false;
    logins.add(m[1]!.toLowerCase());
  }
  return entries.length > 0;
}

/** Every setting, from the environment (and .env). Documented in .env.example. */
export const ConfigSchema = z
  .object({
    PORT: int(0, 65535, 3978),
    HOST: optionalString,
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z
        .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
          error: 'must be one of fatal, error, warn, info, debug, trace, silent',
        })
        .default('info'),
    ),
    // Bot Framework convention; no app id means auth is off (local, Emulator, tests).
    MicrosoftAppId: optionalString,
    MicrosoftAppPassword: optionalString,
    MicrosoftAppType: z.preprocess(
      emptyToUndefined,
      z
        .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], {
          error: 'must be MultiTenant, SingleTenant or UserAssignedMSI',
        })
        .default('MultiTenant'),
    ),
    MicrosoftAppTenantId: optionalString,
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('data')),
    /** SQLite file for state and logs; ":memory:" keeps nothing (tests). */
    SQLITE_PATH: optionalString,
    /** PostgreSQL instead of SQLite (several instances share it); unset = SQLite. */
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .trim()
        .refine(isPostgresUrl, { error: 'must be a postgres:// or postgresql:// URL' })
        .optional(),
    ),
    KNOWLEDGE_DIR: optionalString,
    MAX_BODY_BYTES: int(1024, 10 * 1024 * 1024, 256 * 1024),
    MAX_MESSAGE_CHARS: int(50, 100000, 2000),
    /** Requests a minute per client IP on /v3/directline/* and (auth off) /api/messages; 0 = no limit. Loopback is exempt. */
    RATE_LIMIT_IP_PER_MINUTE: int(0, 1_000_000, 1200),
    /** Messages a minute per conversation, all channels (a crisis message is always answered); 0 = no limit. */
    RATE_LIMIT_CONVERSATION_PER_MINUTE: int(0, 100_000, 60),
    /** A reverse proxy (or App Service) is in front: the client address is the last X-Forwarded-For entry. */
    TRUST_PROXY: bool(false),
    /** Strict-Transport-Security max-age on answers served over https (TLS here, or X-Forwarded-Proto with TRUST_PROXY); 0 = none. */
    HSTS_MAX_AGE_SECONDS: int(0, 2 * 365 * 86_400, 365 * 86_400),
    /** With auth off, replies may only go to loopback service URLs or to these (comma-separated origins). */
    ALLOWED_SERVICE_URLS: optionalString,
    /** A screening left unanswered this long is closed; the visitor can start a new one. */
    SCREENING_EXPIRY_MINUTES: int(1, 7 * 24 * 60, 60),
    /** How long conversation data (screening answers) is kept, in days. */
    DATA_RETENTION_DAYS: int(1, 3650, 30),
    /** How long the daily counts of the staff Reports page are kept, in days (no personal data: 13 months by default). */
    METRICS_RETENTION_DAYS: int(1, 3650, 395),
    /** The time zone the Reports page's days are counted in (an IANA name). */
    METRICS_TIME_ZONE: z.preprocess(
      emptyToUndefined,
      z.string().trim().refine(isTimeZone, { error: 'must be a time zone name like America/New_York or UTC' }).default('America/New_York'),
    ),
    /** How often the retention purge runs, in minutes (it also runs at start-up). */
    RETENTION_INTERVAL_MINUTES: int(1, 7 * 24 * 60, 60),
    /** Record fallback questions for the knowledge-base maintainers. */
    RECORD_UNANSWERED: bool(true),
    /** The built-in Direct Line 3.0 endpoint (/v3/directline) for Web Chat without Azure. */
    DIRECTLINE_ENABLED: bool(true),
    /** Signs Direct Line tokens; empty = random per process (set it when several instances share traffic). */
    DIRECTLINE_TOKEN_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, { error: 'must be at least 32 characters' }).optional()),
    DIRECTLINE_TOKEN_TTL_SECONDS: int(60, 24 * 60 * 60, 30 * 60),
    /** Origins (comma-separated) of pages on other sites allowed to call /v3/directline (CORS). */
    DIRECTLINE_ALLOWED_ORIGINS: optionalString,
    /** Serialized bytes of activities one Direct Line conversation keeps in memory; past it the oldest go. */
    DIRECTLINE_MAX_CONVERSATION_BYTES: int(16 * 1024, 64 * 1024 * 1024, 256 * 1024),
    /** The same for all Direct Line conversations together; past it the least recently used conversations lose their oldest. */
    DIRECTLINE_MAX_TOTAL_BYTES: int(1024 * 1024, 16 * 1024 * 1024 * 1024, 64 * 1024 * 1024),
    /** An Azure Direct Line secret: tokens/generate then exchanges it with Azure (the secret never reaches the page). */
    DIRECTLINE_SECRET: optionalString,
    /** Keys the conversation pseudonyms in logs (HMAC-SHA256); required with auth on, random per process otherwise. */
    LOG_ID_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, { error: 'must be at least 32 characters' }).optional()),
    /** Staff alerts: a signed JSON POST per queue event (off when unset). */
    HANDOFF_WEBHOOK_URL: z.preprocess(
      emptyToUndefined,
      z
        .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
        .optional(),
    ),
    HANDOFF_WEBHOOK_SECRET: optionalString,
    HANDOFF_WEBHOOK_MAX_ATTEMPTS: int(1, 20, 8),
    /** Staff alerts as Adaptive Cards in the Teams team the bot is added to. */
    TEAMS_ALERTS: bool(false),
    TEAMS_ADMISSIONS_TEAM_ID: optionalString,
    /** Where staff reach this service (links to the console in alerts), e.g. https://bot.example.org */
    PUBLIC_BASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
        .transform((u) => u.replace(/\/+$/, ''))
        .optional(),
    ),
    /** Staff console logins: comma-separated "login:scrypt-hash" (npm run staff:hash-password). Unset = console off (404). */
    STAFF_USERS: z.preprocess(emptyToUndefined, z.string().trim().refine(staffUsersValid, { error: STAFF_USERS_FORMAT }).optional()),
    /** Signs console sessions; random per process when unset (set it when running several instances). */
    STAFF_SESSION_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, { error: 'must be at least 32 characters' }).optional()),
    STAFF_SESSION_HOURS: int(1, 24, 8),
    /** Staff who claimed a request can chat with the visitor from the console (live takeover). */
    HANDOFF_LIVE: bool(false),
    /** A takeover with no sign of its staff member for this long hands the visitor back to the bot. */
    HANDOFF_LIVE_IDLE_MINUTES: int(1, 240, 15),
  })
  .superRefine((c, ctx) => {
    if (c.MicrosoftAppId && c.MicrosoftAppType !== 'UserAssignedMSI' && !c.MicrosoftAppPassword) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppPassword'], message: 'is required when MicrosoftAppId is set' });
    }
    const badOrigin = parseOrigins(c.DIRECTLINE_ALLOWED_ORIGINS).find((o) => !isOrigin(o));
    if (badOrigin) {
      ctx.addIssue({ code: 'custom', path: ['DIRECTLINE_ALLOWED_ORIGINS'], message: `must be origins like https://www.example.org, comma-separated (not "${badOrigin.slice(0, 60)}")` });
    }
    if (c.MicrosoftAppType === 'SingleTenant' && c.MicrosoftAppId && !c.MicrosoftAppTenantId) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppTenantId'], message: 'is required for a SingleTenant bot' });
    }
    if (c.MicrosoftAppId && !c.LOG_ID_SECRET) {
      // Production logs must not carry a pseudonym anyone can recompute from a phone number.
      ctx.addIssue({ code: 'custom', path: ['LOG_ID_SECRET'], message: 'is required when MicrosoftAppId is set (32+ random characters, e.g. openssl rand -hex 32)' });
    }
    if (c.DIRECTLINE_MAX_CONVERSATION_BYTES > c.DIRECTLINE_MAX_TOTAL_BYTES) {
      ctx.addIssue({ code: 'custom', path: ['DIRECTLINE_MAX_CONVERSATION_BYTES'], message: 'must not be larger than DIRECTLINE_MAX_TOTAL_BYTES' });
    }
    if (c.HANDOFF_WEBHOOK_URL && !c.HANDOFF_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['HANDOFF_WEBHOOK_SECRET'], message: 'is required when HANDOFF_WEBHOOK_URL is set' });
    } else if (c.HANDOFF_WEBHOOK_SECRET && c.HANDOFF_WEBHOOK_SECRET.length < 16) {
      ctx.addIssue({ code: 'custom', path: ['HANDOFF_WEBHOOK_SECRET'], message: 'must be at least 16 characters' });
    }
  });

export type Config = z.infer<typeof ConfigSchema> & { sqlitePath: string; authEnabled: boolean };

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

// Connection URLs may carry a password, and STAFF_USERS holds password hashes: never echoed.
const SECRET = /password|secret|key|users|_url$/i;

/** Read and check the configuration; a bad value throws one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? 'configuration');
    const raw = env[name];
    const shown = raw === undefined || SECRET.test(name) ? '' : ` (got "${String(raw).slice(0, 40)}")`;
    throw new ConfigError(`Configuration error: ${name} ${issue.message}${shown}`);
  }
  const c = result.data;
  const sqlitePath = c.SQLITE_PATH ?? path.join(c.DATA_DIR, 'bot.sqlite');
  return { ...c, sqlitePath, authEnabled: Boolean(c.MicrosoftAppId) };
}
