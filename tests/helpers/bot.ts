import { TestAdapter, type Activity } from 'botbuilder';
import * as path from 'node:path';
import pino from 'pino';
import { AdmissionsBot, type BotDependencies } from '../../src/bot';
import { ConversationStore } from '../../src/conversationStore';
import { openDatabase } from '../../src/core/storage/database';
import { SqliteStorage } from '../../src/core/storage/sqliteStorage';
import { knowledgeDir, loadKnowledgeBase } from '../../src/core/knowledge/load';
import { BilingualRecognizer } from '../../src/core/nlu/bilingual';
import { loadCatalogue } from '../../src/core/i18n/mirror';
import { Responder } from '../../src/core/responder';
import { CrisisDetector } from '../../src/core/safety/crisis';
import { Screening } from '../../src/core/screening/screening';

export const kb = loadKnowledgeBase(knowledgeDir());
export const recognizer = BilingualRecognizer.fromKnowledge(kb);
export const catalogue = loadCatalogue(kb.dir);
export const responder = new Responder(kb);
export const crisis = CrisisDetector.fromKnowledge(kb);
export const screening = Screening.fromFile(path.join(kb.dir, 'screening.yaml'));

/** A bot on botbuilder's TestAdapter, with the real knowledge base and an in-memory SQLite store. */
export function testBot(
  channelId = 'webchat',
  storage = new SqliteStorage(openDatabase(':memory:')),
  screeningExpiryMs = 60 * 60_000,
  extra: Partial<BotDependencies> = {},
  template: Partial<Activity> = {},
) {
  const conversations = new ConversationStore(storage);
  const bot = new AdmissionsBot({
    conversations,
    recognizer,
    catalogue,
    responder,
    crisis,
    screening,
    logger: pino({ level: 'silent' }),
    maxMessageChars: 2000,
    screeningExpiryMs,
    retentionDays: 30,
    ...extra,
  });
  const adapter = new TestAdapter((context) => bot.run(context), { channelId, ...template } as Partial<Activity>);
  return { adapter, bot, storage };
}
