import { crisis } from '../../tests/helpers/bot';
import { SafetyFollowUps } from '../../src/core/safety/followUps';

/** The opening words of every crisis paragraph the bot can send: a reply holding one is an alarm. */
export function crisisOpenings(): string[] {
  const file = crisis.source;
  const texts: string[] = [];
  for (const reply of Object.values(file.responses)) if (reply) texts.push(reply.en.text, reply.es.text);
  const followUps = SafetyFollowUps.load().file;
  texts.push(followUps.aboutSomeoneElse.suicide.en, followUps.aboutSomeoneElse.suicide.es, followUps.stillHere.en, followUps.stillHere.es);
  return texts.map((t) => t.trim().slice(0, 50));
}
