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
import { createServer } from './http/server';
import { registerWeb } from './http/web';
import { mountDirectLine, type DirectLine } from './directline';
import { AZURE_DIRECTLINE_DOMAIN } from './directline/azure';
import { createLogger, type Logger } from './logger';

export interface App {
  server: restify.Server;
  adapter: CloudAdapter;
  bot: AdmissionsBot;
  kb: KnowledgeBase;
  db: SqliteDatabase;
  logger: Logger;
  /** The built-in Direct Line endpoint (unless DIRECTLINE_ENABLED=false). */
  directLine?: DirectLine;
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
  const unanswered = config.RECORD_UNANSWERED
    ? new SqliteUnansweredLog(db, (err) => logger.error({ event: 'unanswered-log-failed', err: err.message }, 'could not write the unanswered log'))
    : undefined;

  const bot = new AdmissionsBot({
    conversations,
    recognizer,
    responder,
    crisis,
    screening,
    unanswered,
    optOuts: new SqliteOptOutStore(db),
    logger,
    maxMessageChars: config.MAX_MESSAGE_CHARS,
    screeningExpiryMs: config.SCREENING_EXPIRY_MINUTES * 60_000,
    retentionDays: config.DATA_RETENTION_DAYS,
  });
  const adapter = createAdapter(config, logger, responder);

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
  const directLine = config.DIRECTLINE_ENABLED ? mountDirectLine(server, { config, logger, adapter, bot }) : undefined;
  // The demo page, the embeddable widget and Web Chat, from our own origin (and Azure's Direct Line if used).
  registerWeb(server, { directLineDomain: config.DIRECTLINE_SECRET ? AZURE_DIRECTLINE_DOMAIN : undefined });

  return {
    server,
    adapter,
    bot,
    kb,
    db,
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
      directLine?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      unanswered?.flush();
      db.close();
    },
  };
}
