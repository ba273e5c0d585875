import { ActivityHandler, type CloudAdapter } from 'botbuilder';
import * as path from 'node:path';
import type * as restify from 'restify';
import { createAdapter } from './adapter';
import { ConversationStore } from './conversationStore';
import { AdmissionsBot } from './bot';
import type { Config } from './config';
import { knowledgeDir, loadKnowledgeBase, type KnowledgeBase } from './core/knowledge/load';
import { BilingualRecognizer } from './core/nlu/bilingual';
import { loadCatalogue } from './core/i18n/mirror';
import { Responder } from './core/responder';
import { CrisisDetector } from './core/safety/crisis';
import { Screening } from './core/screening/screening';
import type { SqliteDatabase } from './core/storage/database';
import { HandoffService } from './core/handoff/handoffService';
import { loadHandoffContent } from './core/handoff/content';
import { CONTACT_PREFERENCES_FILE, loadContactPreferences, useContactPreferences } from './core/handoff/contactPreferences';
import { RetentionJob } from './core/retention';
import { handoffMetrics } from './core/metrics/handoffMetrics';
import type { AlertLog } from './core/handoff/alertOutbox';
import { createStaffAlerts, type StaffAlertsDeps } from './channels/staffAlerts';
import { createServer } from './http/server';
import { warnIfAuthOffInProduction } from './http/authOff';
import { registerWeb } from './http/web';
import { createIpGate, installIpRateLimit } from './http/ipRateLimit';
import { createLimiter } from './rateLimit';
import type { IncomingMessage } from 'node:http';
import { DIRECTLINE_CHANNEL_ID, mountDirectLine, type DirectLine } from './directline';
import { AZURE_DIRECTLINE_DOMAIN } from './directline/azure';
import { createStaffConsole, type StaffConsole } from './staff';
import { loadStaffSummary, STAFF_SUMMARY_FILE, staffSummary } from './core/screening/staffSummary';
import { createLogger, useLogIdSecret, type Logger } from './logger';
import { createStores, type StoreOptions, type Stores } from './stores';

export interface App {
  server: restify.Server;
  adapter: CloudAdapter;
  bot: AdmissionsBot;
  kb: KnowledgeBase;
  /** The embedded database (SQLite only; undefined with DATABASE_URL). */
  db?: SqliteDatabase;
  /** State, handoff queue, opt-outs, unanswered log: SQLite or PostgreSQL. */
  stores: Stores;
  /** The staff queue: the bot creates requests, the console and alerts work them. */
  handoffs: HandoffService;
  retention: RetentionJob;
  /** Staff alert deliveries (webhook, Teams): failures and per-request status, for the console. */
  alerts: AlertLog;
  /** The staff console at /staff (off without STAFF_USERS) and live takeover (HANDOFF_LIVE). */
  staff: StaffConsole;
  /** Live chat is on and staff used the console in the last few minutes (offer "chat with a person now"). */
  staffOnline(): Promise<boolean>;
  logger: Logger;
  /** The built-in Direct Line endpoint (unless DIRECTLINE_ENABLED=false). */
  directLine?: DirectLine;
  /** Listen on a port (0 = a free one); resolves with the URL. */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
  /** Build what start-up leaves for later (the Spanish recognizer): call once listening. */
  warm(): void;
}

export interface AppOptions {
  logger?: Logger;
  /** Mount a minimal echo bot at /api/echo, and one that also reads and writes conversation state at /api/echo-state, on the same adapter (benchmarks). */
  echo?: boolean;
  /** Store tuning (PostgreSQL timeouts; tests shorten them). */
  stores?: StoreOptions;
  /** Staff alert backoff and timeouts (tests make them small). */
  alertTuning?: StaffAlertsDeps['tuning'];
  /** The client address for the per-IP rate limit (tests simulate visitors); default from the socket / TRUST_PROXY. */
  clientIp?: (req: IncomingMessage) => string;
}

/** Build the whole service from a checked configuration. Knowledge errors throw here, at start-up. */
export function createApp(config: Config, options: AppOptions = {}): App {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  // One process serves one app: its log pseudonyms are keyed with the configured secret.
  if (config.LOG_ID_SECRET) useLogIdSecret(config.LOG_ID_SECRET);
  warnIfAuthOffInProduction(config, logger);
  const kb = loadKnowledgeBase(config.KNOWLEDGE_DIR ?? knowledgeDir());
  const recognizer = BilingualRecognizer.fromKnowledge(kb);
  // Spanish replies: the English content's mirrors in knowledge/es/, checked here so a broken file stops start-up.
  const catalogue = loadCatalogue(kb.dir);
  const responder = new Responder(kb);
  const crisis = CrisisDetector.fromKnowledge(kb);
  const screening = Screening.fromFile(path.join(kb.dir, 'screening.yaml'));
  // The screening as staff read it: checked against screening.yaml, so a broken file stops start-up.
  const staffWording = loadStaffSummary(path.join(kb.dir, STAFF_SUMMARY_FILE), screening.file);
  // How visitors say "no texts", "in Spanish"…: read from this knowledge folder, so a broken file stops start-up.
  useContactPreferences(loadContactPreferences(path.join(kb.dir, CONTACT_PREFERENCES_FILE)));
  const stores = createStores(config, logger, options.stores);
  const conversations = new ConversationStore(stores.storage);
  const handoffs = new HandoffService(stores.handoffs);
  // Requests filed, claimed and resolved, counted for the staff Reports page.
  handoffs.addNotifier(handoffMetrics(stores.metrics));
  // The adapter is needed before the bot: Teams alerts post through it.
  const adapter = createAdapter(config, logger, responder);
  // The alert outbox, live takeovers and console sessions are in the shared store (SQLite or PostgreSQL).
  const alerts = createStaffAlerts({ config, logger, adapter, handoffs, outbox: stores.alertOutbox, storage: stores.storage, tuning: options.alertTuning });
  const takeovers = stores.takeovers;
  // Retention: conversation data past DATA_RETENTION_DAYS is deleted at start-up and then on a schedule.
  const purgers = [...stores.purgers, { name: 'live-chat-transcripts', purge: (cutoff: Date) => takeovers.purgeEndedBefore(cutoff) }];
  const retention = new RetentionJob(purgers, config.DATA_RETENTION_DAYS * 86_400_000, {
    onReport: (report) => logger.info({ event: 'retention', purged: report.purged, failed: report.failed }, 'retention purge'),
    afterPurge: () => stores.eraseDeleted(),
  });
  retention.start(config.RETENTION_INTERVAL_MINUTES * 60_000);
  const staff = createStaffConsole({
    config,
    logger,
    handoffs,
    adapter,
    responder,
    optOuts: stores.optOuts,
    takeovers,
    sessions: stores.staffSessions,
    alerts: alerts.log,
    metrics: stores.metrics,
    summarise: (result) => staffSummary(result, staffWording, screening.file),
    unanswered: stores.unanswered,
    entryTitles: new Map(kb.faq.entries.map((e) => [e.id, e.title])),
  });

  // One count per message: Direct Line counts a post before logging it, and the bot reads that count.
  const conversationLimiter = createLimiter(config.RATE_LIMIT_CONVERSATION_PER_MINUTE, 'conversation');
  const bot = new AdmissionsBot({
    conversations,
    recognizer,
    catalogue,
    responder,
    crisis,
    screening,
    unanswered: stores.unanswered,
    metrics: stores.metrics,
    optOuts: stores.optOuts,
    handoffs,
    handoffContent: loadHandoffContent(path.join(kb.dir, 'handoff.yaml')),
    staffTurns: alerts.teams,
    live: staff.live,
    forgetElsewhere: [
      (channel, conversationId) => takeovers.deleteConversation(channel, conversationId),
      // The built-in Direct Line keeps the transcript in memory, readable with a refreshed token
      // (mounted below, after the bot: the hook only runs in turns, once it exists).
      async (channel, conversationId) => channel === DIRECTLINE_CHANNEL_ID && directLine?.logs.forget(conversationId),
    ],
    eraseDeleted: () => stores.eraseDeleted(),
    staffOnline: () => staff.staffOnline(),
    logger,
    maxMessageChars: config.MAX_MESSAGE_CHARS,
    screeningExpiryMs: config.SCREENING_EXPIRY_MINUTES * 60_000,
    retentionDays: config.DATA_RETENTION_DAYS,
    conversationLimiter,
  });

  let echoBot: ActivityHandler | undefined;
  let stateEchoBot: ActivityHandler | undefined;
  if (options.echo) {
    echoBot = new ActivityHandler();
    echoBot.onMessage(async (context, next) => {
      await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
      await next();
    });
    // The floor for any bot that remembers a conversation: the echo plus one state read and one durable write.
    stateEchoBot = new ActivityHandler();
    stateEchoBot.onMessage(async (context, next) => {
      const state = await conversations.load(context);
      state.echoes = (typeof state.echoes === 'number' ? state.echoes : 0) + 1;
      await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
      await conversations.saveChanges(context);
      await next();
    });
  }

  const server = createServer({ config, logger, adapter, bot, echoBot, stateEchoBot, ready: () => stores.ready() });
  // One per-IP budget for the public HTTP routes and the Direct Line WebSocket upgrades.
  const ipGate = createIpGate({
    // No burst: RATE_LIMIT_IP_PER_MINUTE is the documented ceiling.
    limiter: createLimiter(config.RATE_LIMIT_IP_PER_MINUTE, 'ip', { burst: false }),
    authEnabled: config.authEnabled,
    trustProxy: config.TRUST_PROXY,
    logger,
    clientIp: options.clientIp,
  });
  const directLine: DirectLine | undefined = config.DIRECTLINE_ENABLED ? mountDirectLine(server, { config, logger, adapter, bot, ipGate, conversationLimiter }) : undefined;
  // The demo page, the embeddable widget and Web Chat, from our own origin (and Azure's Direct Line if used).
  registerWeb(server, { directLineDomain: config.DIRECTLINE_SECRET ? AZURE_DIRECTLINE_DOMAIN : undefined });
  staff.register(server);
  // Per matched route (after routing, so every spelling the router serves is counted); CORS runs before it.
  installIpRateLimit(server, ipGate, config.authEnabled);

  return {
    warm: () => recognizer.warm(),
    server,
    adapter,
    bot,
    kb,
    db: stores.db,
    stores,
    handoffs,
    retention,
    alerts: alerts.log,
    staff,
    staffOnline: () => staff.staffOnline(),
    logger,
    directLine,
    listen(port = config.PORT, host = config.HOST) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        const done = () => {
          const address = server.address();
          resolve(`http://${host && host !== '0.0.0.0' && host !== '::' ? host : '127.0.0.1'}:${address.port}`);
        };
        if (host) server.listen(port, host, done);
        else server.listen(port, done);
      });
    },
    async close() {
      retention.stop();
      directLine?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await alerts.close();
      await retention.idle();
      await stores.close();
    },
  };
}
