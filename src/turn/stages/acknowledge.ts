import { actsOf, has, substantiveParts } from '../../core/understanding/acts';
import { ABOUT_THE_BOT } from '../../core/understanding/understand';
import type { TurnActions } from '../actions';
import type { MessageKey } from '../../core/knowledge/schema';
import type { Stage, Turn } from '../turn';

/**
 * What is said before any answer: a feeling is acknowledged, a denial is heard
 * ("I'm not suicidal", "that's not what I asked"), and a message of small talk
 * alone ("ok", "thanks", "bye", an emoji) gets a short reply of its own, never
 * "I don't have information about that".
 */
export const acknowledge =
  (a: TurnActions): Stage =>
  async (t) => {
    const { responder } = a.deps;
    const denials = actsOf(t.u, 'deny');
    // "¿fue mi culpa?" asks nothing the guide answers: a feeling, said as a question.
    const asks = substantiveParts(t.u).some((p) => p.interrogative && !a.phrases.onlyFeeling(p.normalized));
    const disclosedParts = new Set(actsOf(t.u, 'disclose').map((d) => t.u.parts[d.part]));
    const rest = substantiveParts(t.u).filter((p) => !a.phrases.feeling(p.normalized) && !p.interrogative && !disclosedParts.has(p));
    // "nobody is suicidal" is apologized for only where the bot did raise it (flagged); else the protest's own apology stands.
    const deniedRisk = denials.some((d) => d.what === 'risk') && t.data.flagged !== undefined;
    // "Sorry for assuming" only when the bot did assume: after a crisis reply in this conversation.
    if (deniedRisk && !t.reply.has('ack')) t.reply.add('ack', responder.message('deniedRisk'));
    // One apology is enough: "nobody is suicidal" already got one. "I just said..." protests a reply, so a first
    // message that does not speak to the bot has nothing to protest ("my dr said it n i just said ok, wats an iop").
    if (denials.some((d) => d.what === 'said' && (repliedBefore(t) || ABOUT_THE_BOT.test(t.u.parts[d.part]!.normalized))) && !deniedRisk) {
      if (!asks && !rest.length) {
        // "That's not what I asked": not the same paragraph again; another way to help.
        t.reply.add('ack', responder.message('deniedSaid'));
        t.data.lastAnswer = undefined;
        return 'done';
      }
      t.reply.add('ack', responder.message('deniedSaidAck'));
    }
    const disclosed = actsOf(t.u, 'disclose');
    const relapse = disclosed.some((d) => d.relapse);
    // Someone else's use or relapse ("my son relapsed", "it's for my mom"): said to the one who worries.
    const other = disclosed.length > 0 && (t.data.answeringForOther === true || (a.phrases.meta.someoneElseUsing.test(t.u.normalized) && !a.phrases.meta.firstPersonUse.test(t.u.normalized)));
    const told = (self: MessageKey, forOther: MessageKey) => responder.message(other ? forOther : self);
    if (has(t.u, 'feeling')) {
      if (!asks) {
        t.reply.add('ack', relapse ? told('relapse', 'relapseOther') : responder.message('feeling'));
        if (relapse) offerScreening(t);
        return 'done';
      }
      t.reply.add('ack', responder.message('feelingAck'));
    } else if (disclosed.length) {
      if (!asks) {
        // Heard and thanked, the screening offered: never "I don't have information about that".
        t.reply.add('ack', relapse ? told('relapse', 'relapseOther') : told('disclosure', 'disclosureOther'));
        offerScreening(t);
        return 'done';
      }
      t.reply.add('ack', relapse ? told('relapseAck', 'relapseOtherAck') : responder.message('disclosureAck'));
    }
    if (t.reply.has('ack') && !asks && !rest.length) return 'done';
    // Only emoji or punctuation: not a question the bot failed to understand.
    if (!/[\p{L}\p{N}]/u.test(t.said)) {
      t.reply.add('answer', responder.message('emojiOnly'));
      return 'done';
    }
    if (substantiveParts(t.u).length) return;
    const small = actsOf(t.u, 'smalltalk').map((s) => s.what);
    if (small.includes('notReady')) t.reply.add('answer', responder.message('notReady'));
    else if (small.includes('bye')) t.reply.add('answer', responder.message('bye'));
    else if (small.includes('thanks')) t.reply.add('answer', responder.message('thanks'));
    else if (small.includes('ack') || (has(t.u, 'answer') && !small.length)) t.reply.add('answer', responder.message('acknowledged'));
    else return;
    return 'done';
  };

/** The screening offered: a "yes" next accepts it, unless "are you safe right now?" is still waiting. */
function offerScreening(t: Turn): void {
  if (t.data.expectation?.kind !== 'check-in') t.data.expectation = { kind: 'offer', offer: 'screening' };
}

/** Whether the bot has replied in this conversation before this message (its last few messages hold more than this one, or a step or topic is open). */
function repliedBefore(t: Turn): boolean {
  return (t.data.recent?.length ?? 0) > 1 || t.data.expectation !== undefined || t.data.lastTopic !== undefined || t.top !== undefined;
}
