import { ConversationState, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import * as path from 'node:path';
import pino from 'pino';
import { AdmissionsBot } from '../../src/bot';
import { knowledgeDir, loadKnowledgeBase } from '../../src/core/knowledge/load';
import { Recognizer } from '../../src/core/nlu/recognizer';
import { Responder } from '../../src/core/responder';
import { CrisisDetector } from '../../src/core/safety/crisis';

export const kb = loadKnowledgeBase(knowledgeDir());
export const recognizer = new Recognizer(kb);
export const responder = new Responder(kb);
export const crisis = CrisisDetector.fromFile(path.join(kb.dir, 'crisis.yaml'));

/** A bot on botbuilder's TestAdapter, with the real knowledge base and in-memory state. */
export function testBot(channelId = 'webchat', storage = new MemoryStorage()) {
  const conversationState = new ConversationState(storage);
  const bot = new AdmissionsBot({ conversationState, recognizer, responder, crisis, logger: pino({ level: 'silent' }), maxMessageChars: 2000 });
  const adapter = new TestAdapter((context) => bot.run(context), { channelId } as Partial<Activity>);
  return { adapter, bot, storage };
}
