import { ActivityHandler, type CloudAdapter } from 'botbuilder';
import * as path from 'node:path';
import type * as restify from 'restify';
import { createAdapter } from './adapter';
import { ConversationStore } from './conversationStore';
import { AdmissionsBot } from './bot';
import type { Config } from './config';
import { knowledgeDir, loadKnowledgeBase, type KnowledgeBase } from './core/knowledge/load';
import { Recognizer } from './core/nlu/recognizer';
import { Responder } from './core/responder';
import { CrisisDetector } from './core/safety/crisis';
import { Screening } from './core/screening/screening';
import { openDatabase, type SqliteDatabase } from './core/storage/database';
import { SqliteStorage } from './core/storage/sqliteStorage';
import { SqliteUnansweredLog } from './core/storage/unansweredLog';
import { SqliteOptOutStore } from './core/sms/optOuts';
import { HandoffService } from './core/handoff/handoffService';
import { SqliteHandoffStore } from './core/handoff/sqliteHandoffStore';
import { createServer } from './http/server';
import { SqliteLiveTakeoverStore, SqliteStaffSessionStore } from './core/handoff/sqliteLiveTakeoverStore';
import { createStaffConsole, type StaffConsole } from './staff';
import { createLogger, type Logger } from './logger';

export interface App {
  server: restify.Server;
  adapter: CloudAdapter;
  bot: AdmissionsBot;
  kb: KnowledgeBase;
  db: SqliteDatabase;
  /** The staff queue: the bot creates requests, the console and alerts work them. */
  handoffs: HandoffService;
  /** The staff console at /staff (off without STAFF_USERS) and live takeover (HANDOFF_LIVE). */
  staff: StaffConsole;
  /** Live chat is on and staff used the console in the last few minutes (offer "chat with a person now"). */
  staffOnline(): Promise<boolean>;
  logger: Logger;
  /** Listen on a port (0 = a free one); resolves with the URL. */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

export interface AppOptions {
  logger?: Logger;
  /** Mount a minimal echo bot at /api/echo on the same adapter (benchmarks). */
  echo?: boolean;
}

/** Build the whole service from a checked configuration. Knowledge errors throw here, at start-up. */
export function createApp(config: Config, options: AppOptions = {}): App {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const kb = loadKnowledgeBase(config.KNOWLEDGE_DIR ?? knowledgeDir());
  const recognizer = new Recognizer(kb);
  const responder = new Responder(kb);
  const crisis = CrisisDetector.fromFile(path.join(kb.dir, 'crisis.yaml'));
  const screening = Screening.fromFile(path.join(kb.dir, 'screening.yaml'));
  const db = openDatabase(config.sqlitePath);
  const conversations = new ConversationStore(new SqliteStorage(db));
  const handoffs = new HandoffService(new SqliteHandoffStore(db));
  const unanswered = config.RECORD_UNANSWERED
    ? new SqliteUnansweredLog(db, (err) => logger.error({ event: 'unanswered-log-failed', err: err.message }, 'could not write the unanswered log'))
    : undefined;
  const optOuts = new SqliteOptOutStore(db);
  const adapter = createAdapter(config, logger, responder);
  const staff = createStaffConsole({
    config,
    logger,
    handoffs,
    adapter,
    responder,
    optOuts,
    takeovers: new SqliteLiveTakeoverStore(db),
    sessions: new SqliteStaffSessionStore(db),
  });

  const bot = new AdmissionsBot({
    conversations,
    recognizer,
    responder,
    crisis,
    screening,
    unanswered,
    optOuts,
    handoffs,
    live: staff.live,
    logger,
    maxMessageChars: config.MAX_MESSAGE_CHARS,
    screeningExpiryMs: config.SCREENING_EXPIRY_MINUTES * 60_000,
    retentionDays: config.DATA_RETENTION_DAYS,
  });

  let echoBot: ActivityHandler | undefined;
  if (options.echo) {
    echoBot = new ActivityHandler();
    echoBot.onMessage(async (context, next) => {
      await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
      await next();
    });
  }

  const ready = () => {
    try {
      db.prepare('SELECT 1').get();
      return true;
    } catch {
      return false;
    }
  };
  const server = createServer({ config, logger, adapter, bot, echoBot, ready });
  staff.register(server);

  return {
    server,
    adapter,
    bot,
    kb,
    db,
    handoffs,
    staff,
    staffOnline: () => staff.staffOnline(),
    logger,
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
      await new Promise<void>((resolve) => server.close(() => resolve()));
      unanswered?.flush();
      db.close();
    },
  };
}
