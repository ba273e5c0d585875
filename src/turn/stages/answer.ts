import { actsAt, actsOf, substantiveParts } from '../../core/understanding/acts';
import { asksWhoAnswers } from '../../core/understanding/understand';
import { basicNormalize } from '../../core/text/normalize';
import { englishWords } from '../../core/nlu/english';
import { channelKind } from '../../channels/render';
import { detectLanguage } from '../../core/nlu/language';
import type { Entry } from '../../core/knowledge/schema';
import type { Recognition } from '../../core/nlu/recognizer';
import { MAX_ANSWERS } from '../../core/conversation/composer';
import { readContactPreferences, type ContactPreference } from '../../core/handoff/contactPreferences';
import type { TurnActions } from '../actions';
import type { Stage, Turn } from '../turn';

/** The FAQ entry that says who answers the chat. */
const BOT_IDENTITY = 'bot-identity';
/** The FAQ entry that neither confirms nor denies that someone is a patient. */
const PATIENT_POLICY = 'patient-confirmation';

/** "how do I reach admissions" is answered; "I want to talk to someone" is handed off. */
const TALK_TO_PERSON = /\b(?:talk|speak|chat|connect)\b.*\b(?:person|someone|somebody|human|admissions|staff|counselor|agent)\b|\bcall me\b/i;

/** Asks for a person, in the bot's words or the visitor's (phrases.yaml talk-to-person, in English and Spanish). */
function asksForPerson(a: TurnActions, text: string): boolean {
  return TALK_TO_PERSON.test(text) || a.phrases.command(basicNormalize(text)) === 'talk-to-person';
}

/**
 * The questions of the message, answered from the guide: each question on its own
 * when there are two ("do you have a waitlist and do you take MassHealth"), else the
 * substance of the message as a whole (a story with its question). Then "did you
 * mean", or the honest fallback when nothing else was said.
 */
export const answer =
  (a: TurnActions): Stage =>
  async (t) => {
    const { responder, logger } = a.deps;
    // The question was about crisis help and is answered above it; a message with one question is done.
    if (t.safetyAnswered && substantiveParts(t.u).filter((p) => p.interrogative).length <= 1) return;
    // "where were we": not our location. A step that is open asks its question again; with none, what the bot can do.
    if (a.phrases.meta.whereWereWe.test(t.u.normalized)) {
      if (!t.top) t.reply.add('answer', responder.message('help'));
      return;
    }
    const parts = substantiveParts(t.u);
    const asked = parts.length ? parts.map((p) => p.text).join(' ') : t.said;
    // Whether someone is a patient is never confirmed or denied, however it is asked: the policy answer.
    const policy = t.u.parts.some((p, i) => (p.interrogative || actsAt(t.u, i).some((x) => x.act === 'statement')) && a.phrases.asksAboutPatient(p.normalized)) ? responder.entry(PATIENT_POLICY) : undefined;
    if (policy) {
      say(a, t, policy, 1, '');
      return;
    }
    // "do you have Spanish-speaking staff?": the guide does not say; said honestly, with the callback that notes the language.
    if (parts.some((p) => p.interrogative && a.phrases.meta.staffLanguage.test(p.normalized))) {
      t.reply.add('answer', a.deps.responder.message('staffLanguages'));
      return;
    }
    // "text me instead of calling", "call me but no voicemail": how to be reached, said outside a callback. The callback
    // starts with it kept, rather than an answer about the admissions line.
    // Only a way of being reached starts it: "in Spanish" or "discreet" alone is kept with a callback, not a request for one.
    const preferences = MENTIONS_CONTACT.test(t.u.normalized) ? readContactPreferences(t.said).filter((p) => CHANNEL_PREFERENCES.has(p)) : [];
    if (preferences.length && a.handoffDialog && t.data.expectation?.kind !== 'check-in') {
      a.notePreferences(t, preferences);
      await a.handOff(t, 'asked-for-person', { callback: true });
      return;
    }
    const several = severalAnswers(a, t, parts.filter((p) => p.interrogative).map((p) => p.text));
    const read = several.length < 2 ? questionFirst(a, asked, parts.filter((p) => p.interrogative).map((p) => p.text)) : undefined;
    // "php or iop": a choice between programs only the visitor can make, unless they ask how the programs compare.
    const recognition = read && programChoice(a, withoutUnsupported(a, read, t), asked);
    const best = recognition?.candidates[0];
    logger.info(
      { ...t.where, event: 'turn', outcome: recognition?.outcome ?? 'confident', intent: best?.id ?? several.map((f) => f.entry.id).join('+'), score: best ? Math.round(best.score * 1000) / 1000 : 1, language: recognition?.language ?? 'en' },
      'turn',
    );
    if (several.length >= 2) {
      t.data.fallbacks = 0;
      for (const { entry, score, question } of several) say(a, t, entry, score, question);
      return;
    }
    if (!recognition) return;
    // "and for PHP?", "what about weekends": read with the topic just answered (even when the words alone
    // would match something: "and for IOP?" alone reads as "what is IOP?").
    if (recognition.outcome !== 'confident' || FOLLOW_UP.test(asked.trim())) {
      const follow = followUp(a, t, asked);
      if (follow) {
        t.data.fallbacks = 0;
        say(a, t, follow, 1, '');
        return;
      }
    }
    const entry = recognition.outcome === 'confident' && best ? responder.entry(best.id) : undefined;
    // During a crisis episode a guess at a topic is no answer to "should I make him throw up?".
    const likely = !entry && !t.reply.has('safety') && t.data.expectation?.kind !== 'check-in' ? likelyEntry(a, recognition, asked) : undefined;
    if (likely) {
      // Fairly sure: the answer, said as a guess ("I think you're asking about…"), not a menu.
      t.data.fallbacks = 0;
      t.reply.add('answer', { text: responder.message('answerCheck').text.replace('{{topic}}', likely.title.replace(/\?$/, '')) });
      say(a, t, likely, 0, asked);
      return;
    }
    if (entry) {
      t.data.fallbacks = 0;
      if (entry.action === 'welcome') t.reply.add('answer', responder.message('welcome'));
      else if (entry.action === 'help') t.reply.add('answer', responder.message('help'));
      else if (entry.action === 'start-screening') await a.startScreening(t, t.top === 'screening');
      // "am i talking to a human or not": who answers, not a request for a person.
      else if (entry.action === 'handoff' && asksWhoAnswers(basicNormalize(asked)) && responder.entry(BOT_IDENTITY)) say(a, t, responder.entry(BOT_IDENTITY)!, 1, '');
      else if (entry.action === 'handoff' && asksForPerson(a, asked)) await a.handOff(t, 'asked-for-person');
      else say(a, t, entry, best?.score ?? 0, asked);
      return;
    }
    await miss(a, t, recognition, asked);
  };

/**
 * The questions of a message that also raised a crisis reply: answered after it
 * when the guide answers them outright (no "did you mean", no fallback), so the
 * question asked alongside is not lost.
 */
export function answerBesideSafety(a: TurnActions, t: Turn): void {
  const questions = substantiveParts(t.u).filter((p) => p.interrogative).map((p) => p.text);
  if (!questions.length) return;
  const several = severalAnswers(a, t, questions);
  if (several.length >= 2) {
    for (const { entry, score, question } of several) say(a, t, entry, score, question);
    return;
  }
  const r = withoutUnsupported(a, a.deps.recognizer.recognize(questions.join(' ')), t);
  const entry = r.outcome === 'confident' && r.candidates[0] ? a.deps.responder.entry(r.candidates[0].id) : undefined;
  if (entry && !entry.action && entry.kind !== 'smalltalk') say(a, t, entry, r.candidates[0]!.score, questions.join(' '));
}

/** Entries only some messages can mean: the words they need besides the matcher's guess. */
const NEEDS: Record<string, (a: TurnActions, t: Turn) => boolean> = {
  // "who am i even talking to" or "would i have to drop out of classes" share words with the privacy policy.
  [PATIENT_POLICY]: (a, t) => a.phrases.aboutSomeoneElse(t.u.normalized),
  // "do i need this or not" and "which is a lot" share words with "thanks a lot": only a thanks is one.
  thanks: (a, t) => a.phrases.meta.thanksWords.test(t.u.normalized),
  greeting: (_, t) => actsOf(t.u, 'smalltalk').some((x) => x.what === 'greeting') || !t.u.parts.some((p) => p.interrogative),
  // "is this a live-in rehab?" shares "is this a" with "is this a bot?": who answers is asked of the chat, or of "you".
  'bot-identity': (_, t) => ABOUT_THE_CHAT.test(t.u.normalized),
};

/** Words that speak of the chat or whoever answers it, in English and Spanish (accent-folded). */
const ABOUT_THE_CHAT =
  /\b(?:you|u|ur|your|youre|chat|chatting|bot|robot|chatbot|human|person|someone|somebody|anyone|real|ai|artificial|automated|automatic|computer|machine|software|script|scripted|chatgpt|staff|staffed|employee|typing|answering|answers|replies|reading|other side|other end|speaking with|talking to|talking with|texting|thing|con quien|quien (?:me )?(?:contesta|responde|escribe)|eres|es usted|persona|humano|humana|maquina|automatico|automatica|hablando|hablo)\b/;

/** The best entry set aside when the message lacks what it needs; the others are read as a "did you mean". */
function withoutUnsupported(a: TurnActions, r: Recognition, t: Turn): Recognition {
  const best = r.candidates[0]?.id;
  const needs = best ? NEEDS[best] : undefined;
  if (!needs || needs(a, t)) return r;
  const candidates = r.candidates.filter((c) => c.id !== best);
  return { ...r, outcome: candidates.length && r.outcome !== 'none' ? 'ambiguous' : 'none', candidates };
}

/**
 * The message read whole (a story gives its question context: "my doctor mentioned
 * an IOP. what is it?"), unless its one question, read alone, clearly asks about
 * something else ("2 yrs sober, just had a slip. do you have aftercare").
 */
/** Words that stand for something said before them ("will that be a problem", "is it safe", "do they test"). */
const POINTS_BACK = /\b(?:it|that|this|those|these)\b/;

function questionFirst(a: TurnActions, asked: string, questions: string[]): Recognition {
  const whole = a.deps.recognizer.recognize(asked);
  if (questions.length !== 1 || questions[0] === asked) return whole;
  // "hes on methadone, will that be a problem": a question that points back is read with what it points to.
  if (POINTS_BACK.test(basicNormalize(questions[0]!))) return whole;
  const alone = a.deps.recognizer.recognize(questions[0]!);
  const differs = alone.outcome === 'confident' && alone.candidates[0]?.id !== whole.candidates[0]?.id;
  return differs ? alone : whole;
}

/** Mostly letters that make no English words ("asdkjh qwpoe"), and not Spanish. */
function gibberish(text: string): boolean {
  const words = basicNormalize(text).split(' ').filter((w) => /^[a-z]{2,}$/.test(w));
  if (!words.length || detectLanguage(text, words) === 'es') return false;
  const known = englishWords();
  return words.filter((w) => known.has(w)).length / words.length < 0.34;
}

const PROGRAM = /\b(?:iop|php|outpatient|detox|partial hospitali[sz]ation|intensive outpatient|residential|inpatient|aftercare)\b/i;
const FOLLOW_UP = /^(?:and|what about|how about|same for|and for|also|what if|for)\b/i;

/**
 * A short follow-up the guide can't place alone ("and for PHP?", "what about
 * weekends?") is read with the last topic answered: its question with the new
 * program put in, or the two together. Only a confident, different entry counts.
 */
function followUp(a: TurnActions, t: Turn, asked: string): Entry | undefined {
  const last = t.data.lastTopic ? a.deps.responder.entry(t.data.lastTopic) : undefined;
  if (!last || asked.split(/\s+/).length > 7 || !(FOLLOW_UP.test(asked.trim()) || PROGRAM.test(asked))) return undefined;
  const base = last.questions[0]!;
  const program = PROGRAM.exec(asked)?.[0];
  const candidate = program && PROGRAM.test(base) ? base.replace(PROGRAM, program) : `${base} ${asked}`;
  const r = a.deps.recognizer.recognize(candidate);
  const entry = r.outcome === 'confident' && r.candidates[0] ? a.deps.responder.entry(r.candidates[0].id) : undefined;
  if (!entry || entry.action || entry.kind === 'smalltalk') return undefined;
  // The same topic again: for a gap ("waitlist… and for IOP?") that is the honest answer; for an answer
  // ("how many days is IOP… and for PHP?" still reading as IOP) the words alone know better.
  if (entry.id === last.id) return program && entry.kind === 'gap' ? entry : undefined;
  return entry;
}

/** Two or more questions, each clearly matched to a different entry: at most MAX_ANSWERS of them. */
function severalAnswers(a: TurnActions, t: Turn, questions: string[]): Array<{ entry: Entry; score: number; question: string }> {
  if (questions.length < 2) return [];
  const found: Array<{ entry: Entry; score: number; question: string }> = [];
  for (const question of questions) {
    const r = withoutUnsupported(a, a.deps.recognizer.recognize(question), t);
    const best = r.candidates[0];
    const entry = r.outcome === 'confident' && best ? a.deps.responder.entry(best.id) : undefined;
    // "where are you, and what number do I call?": the admissions line is an answer too, unless a person is asked for.
    const answerable = entry && (!entry.action || (entry.action === 'handoff' && !asksForPerson(a, question)));
    if (entry && answerable && !found.some((f) => f.entry.id === entry.id)) found.push({ entry, score: best!.score, question });
  }
  return found.slice(0, MAX_ANSWERS);
}

/** Someone telling about themselves or someone close (not "solve 2x + 5", "write me a poem"). */
const PERSONAL = /\b(?:i|im|ive|id|my|me|we|were|our|us|he|hes|she|shes|his|her|him|they|theyre|their|them|yo|mi|mis|nos|nosotros|nosotras|nuestro|nuestra|nuestros|nuestras|conmigo|ella|ellas|ellos)\b/;
/** How the visitor feels, said of themselves ("me siento un poco mejor de hablar", "i feel better"): heard, whatever the topic. */
const OWN_FEELING = /\b(?:i feel|i felt|im feeling|i am feeling|me siento|me sentia|me he sentido|me estoy sintiendo|nos sentimos)\b/;

/** ...and a question that names no treatment words needs this much ("u guys do nites?"; measured on the spent sets: told "I don't know" 23 -> 19 on P, off-topic declined unchanged). */
const QUESTION_IN_SCOPE_SCORE = 0.2;
/** Below this, even a message about treatment shares too little with any entry for a "did you mean". */
const IN_SCOPE_SCORE = 0.1;
/** ...and at this score it outweighs a near miss the off-topic examples also claim ("what do your therapists actually do with cbt"). */
const IN_SCOPE_OVER_OFF_TOPIC = 0.2;

/** Every way-of-contact phrase names one of these (knowledge/contact-preferences.yaml): the phrases are read only then. */
const MENTIONS_CONTACT = /\b(?:te?xts?|txt\w*|sms|call\w*|phone\w*|ring\w*|voice ?mails?|vm\w*|v mail|mensaj\w*|msjs?|llam\w*|marqu\w*|buzon|correo)\b/;
/** Preferences that say how to be reached ("text me instead", "no calls"). */
const CHANNEL_PREFERENCES: ReadonlySet<ContactPreference> = new Set(['text-only', 'no-calls', 'no-texts', 'no-voicemail']);

/** Below this, a statement's closest topics are too weak to offer as a "did you mean". */
const WEAK_GUESS = 0.3;

/** A "did you mean" whose first entry leads by this much, at this score, is answered as a guess (measured on the spent sets: 20 of 23 right). */
const LIKELY_SCORE = 0.3;
const LIKELY_LEAD = 0.08;

/** The entry a "did you mean" would put first, when it leads clearly enough to answer it as a guess. */
function likelyEntry(a: TurnActions, r: Recognition, asked: string): Entry | undefined {
  const [first, second] = r.candidates;
  if (r.outcome !== 'ambiguous' || !first || first.score < LIKELY_SCORE || first.score - (second?.score ?? 0) < LIKELY_LEAD) return undefined;
  // Two programs side by side ("detox or php") is a choice only the visitor can make.
  if (a.deps.recognizer.programsNamed(asked).size > 1) return undefined;
  const entry = a.deps.responder.entry(first.id);
  return entry && !entry.action ? entry : undefined;
}

/**
 * "php or iop", "detox or residential?": when the best reading describes one of two programs offered as
 * alternatives, a "did you mean" with each program and the levels of care; asked how they compare, the levels
 * of care. An answer that already compares them ("IOP or regular outpatient?") stays.
 */
function programChoice(a: TurnActions, r: Recognition, asked: string): Recognition {
  const top = r.candidates[0];
  const { recognizer, responder } = a.deps;
  if (r.outcome !== 'confident' || !top || !responder.entry(LEVELS_OF_CARE)) return r;
  const named = recognizer.programsNamed(asked);
  const program = recognizer.programOf(top.id);
  if (named.size < 2 || !program || !named.has(program)) return r;
  const plain = basicNormalize(asked);
  if (COMPARES.test(plain)) return { ...r, candidates: [{ id: LEVELS_OF_CARE, score: top.score }, ...r.candidates.filter((c) => c.id !== LEVELS_OF_CARE)] };
  if (!/\b(?:or|o)\b/.test(plain)) return r;
  // IOP is named 'iop'; its entry is the one that says what it is.
  const ids = [...new Set([...[...named].map((p) => (p === 'iop' ? WHAT_IS_IOP : p)), LEVELS_OF_CARE])].filter((id) => responder.entry(id));
  return { ...r, outcome: 'ambiguous', candidates: ids.map((id) => ({ id, score: top.score })) };
}

const WHAT_IS_IOP = 'what-is-iop';
const LEVELS_OF_CARE = 'levels-of-care';
/** How programs compare: the levels of care answer that ("whats the difference between php and iop"). */
const COMPARES = /\b(?:difference|differences|different|differ|compare|compared|comparison|vs|versus|better|which one|which is|more intense|less intense|more hours|fewer hours)\b/;

/** A yes/no question: "do you…", "is there…", "can he…". */
const YES_NO = /^(?:(?:and|so|ok|okay|but|also)\s+)*(?:do|does|did|is|are|was|were|can|could|will|would|should|have|has|any)\b/;
/** Below this score the match is about the topic, not this exact question: no "Yes." the guide may not back. */
const SURE_ENOUGH = 0.7;

/**
 * An entry's answer; the same entry asked again at once gets a short pointer, not
 * the same paragraph. An answer that opens with "Yes" keeps it only for a yes/no
 * question clearly matched ("do you have evening groups?"), never for "what do I
 * bring, my court papers?" that only shares its topic.
 */
function say(a: TurnActions, t: Turn, entry: Entry, score: number, asked = ''): void {
  const { responder } = a.deps;
  // For the reports: a gap entry ("I don't have information about parking") is a question the guide knows it can't answer.
  if (entry.kind !== 'smalltalk') a.deps.metrics?.count({ kind: 'answer', outcome: entry.kind === 'gap' ? 'dont-know' : 'answered' });
  if (t.previousAnswer === entry.id && entry.kind !== 'smalltalk') {
    t.reply.add('answer', responder.message('repeated'));
    t.data.lastAnswer = undefined;
    return;
  }
  const reply = responder.answer(entry);
  if (entry.smsNote && channelKind(t.context.activity.channelId) === 'sms') reply.text = `${reply.text}\n\n${entry.smsNote.trim()}`;
  const yesBacked = score >= SURE_ENOUGH && (!asked || YES_NO.test(basicNormalize(asked.split(/(?<=[.!?])\s+/).find((s) => /\?|^(?:do|does|is|are|can)/i.test(s)) ?? asked)));
  const text = yesBacked ? reply.text : reply.text.replace(/^Yes[,.]\s+(\w)/, (_, c: string) => c.toUpperCase());
  t.reply.add('answer', { ...reply, text });
  t.data.lastAnswer = entry.id;
  t.data.lastTopic = entry.id;
  // A pending "are you safe right now?" outranks an offer.
  if (entry.offerScreening && t.data.expectation?.kind !== 'check-in') t.data.expectation = { kind: 'offer', offer: 'screening' };
}

/**
 * "Did you mean", or the fallback. A "did you mean" is a miss too: one followed by a
 * fallback is two in a row, and a person is offered. A message that was acknowledged
 * (a feeling, a denial) is not also told "I don't have information about that".
 */
async function miss(a: TurnActions, t: Turn, recognition: Recognition, asked: string): Promise<void> {
  const { responder } = a.deps;
  const { data } = t;
  // A safety answer already covers the message ("can i quit xanax cold turkey?"): no menu or fallback after it.
  if (t.reply.has('safety')) return;
  const checkIn = data.expectation?.kind === 'check-in';
  // A question nobody should guess at, asked while "are you safe?" is open ("should I wake him?", "can I give
  // him milk?"): what to do with it (911, Poison Control, 988), never "I don't have information" or a menu.
  // A question about treatment ("can I sign him up?") is answered as usual.
  const e = data.expectation;
  if (e?.kind === 'check-in' && substantiveParts(t.u).some((p) => p.interrogative) && !a.phrases.aboutTreatment(t.u.normalized)) {
    t.reply.add('safety', { text: a.followUps.unknownInCrisis(e.crisis, data.language === 'es' ? 'es' : 'en'), tag: 'safety:unknown-in-crisis' });
    return;
  }
  // About use or treatment, and not a near miss the off-topic examples claim: something the guide speaks
  // to, so a "did you mean" with the closest topics, never "I don't have information about that".
  const best = recognition.candidates[0]?.score ?? 0;
  // A question the off-topic examples don't claim, close enough to some topics ("u guys do nites?"), gets the menu
  // too: a visitor asking something of us is shown where to look, not told "I don't have information".
  const asksUs = !recognition.offTopic && best >= QUESTION_IN_SCOPE_SCORE && substantiveParts(t.u).some((p) => p.interrogative);
  const inScope = recognition.outcome === 'none' && best >= IN_SCOPE_SCORE && (!recognition.offTopic || best >= IN_SCOPE_OVER_OFF_TOPIC) && (a.phrases.aboutTreatment(t.u.normalized) || asksUs);
  // A statement about oneself that only brushes a few topics ("i think i do need help"): heard, not a menu of topics.
  const statement = !substantiveParts(t.u).some((p) => p.interrogative) && PERSONAL.test(t.u.normalized) && best < WEAK_GUESS;
  if ((recognition.outcome === 'ambiguous' || inScope) && !statement) {
    // Nothing matched, so the question is one the guide's entries missed: kept for review (npm run kb:unanswered).
    if (inScope) a.recordUnanswered(t.context, asked, recognition.candidates[0]);
    if (!checkIn) data.expectation = { kind: 'did-you-mean' };
    data.fallbacks = (data.fallbacks ?? 0) + 1;
    a.deps.metrics?.count({ kind: 'answer', outcome: 'did-you-mean' });
    t.reply.add('answer', responder.didYouMean(recognition.candidates));
    return;
  }
  // An acknowledgement (a feeling, a denial, "I'm glad you're safe") is enough unless a question was asked too.
  const denied = new Set(actsOf(t.u, 'deny').map((d) => t.u.parts[d.part]));
  if (t.reply.has('ack') && !substantiveParts(t.u).some((p) => p.interrogative && !denied.has(p))) return;
  if (gibberish(asked)) {
    // "asdfgh jkl": not a question the guide lacks; asked to say it again, with no count toward a handoff.
    t.reply.add('answer', responder.message('gibberish'));
    return;
  }
  // A statement, not a question ("what's even the point", "i think i do need help"): heard, never "I don't have information".
  const told = !substantiveParts(t.u).some((p) => p.interrogative) && PERSONAL.test(t.u.normalized);
  if (told && !t.reply.has('ack') && (!recognition.offTopic || a.phrases.aboutTreatment(t.u.normalized) || OWN_FEELING.test(t.u.normalized))) {
    t.reply.add('answer', responder.message('heard'));
    if (!checkIn) data.expectation = { kind: 'offer', offer: 'screening' };
    return;
  }
  data.fallbacks = (data.fallbacks ?? 0) + 1;
  // Off-topic ("write me a poem") is declined; a question about us the guide lacks is one it doesn't know.
  a.deps.metrics?.count({ kind: 'answer', outcome: recognition.offTopic ? 'declined' : 'dont-know' });
  a.recordUnanswered(t.context, asked, recognition.candidates[0]);
  if (data.fallbacks >= 2 && a.handoffDialog) {
    // Two in a row: the bot can't help here, so a person is offered.
    data.fallbacks = 0;
    t.reply.add('answer', { ...responder.message('fallback'), choices: undefined, links: undefined });
    await a.handOff(t, 'fallback');
    return;
  }
  t.reply.add('answer', responder.message('fallback'));
  // The fallback says "or I can connect you with them now": a "yes" next asks for a person.
  if (!checkIn) data.expectation = { kind: 'offer', offer: 'person' };
}
