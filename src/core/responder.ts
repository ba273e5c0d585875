import type { KnowledgeBase } from './knowledge/load';
import type { Entry, MessageKey } from './knowledge/schema';
import type { Candidate } from './nlu/recognizer';
import type { Choice, LinkButton, Reply } from './reply';

export const NONE_OF_THESE = 'None of these';

/**
 * Turns knowledge-base content into channel-neutral replies: the answer to
 * an entry with its follow-ups, "did you mean", the fallback and the bot's
 * own messages. Everything said comes from knowledge/.
 */
export class Responder {
  private readonly entries = new Map<string, Entry>();
  readonly callAdmissions: LinkButton;
  /** The admissions line as people read it: "(877) 920-6583". */
  readonly admissionsDisplay: string;

  constructor(private readonly kb: Pick<KnowledgeBase, 'faq' | 'messages'>) {
    for (const e of kb.faq.entries) this.entries.set(e.id, e);
    this.admissionsDisplay = kb.messages.admissions.display;
    this.callAdmissions = { label: `Call ${kb.messages.admissions.display}`, uri: `tel:${kb.messages.admissions.e164}` };
  }

  entry(id: string): Entry | undefined {
    return this.entries.get(id);
  }

  /** What a tap on an entry's button sends: a question the recognizer is sure to match. */
  choiceFor(entry: Entry): Choice {
    return { label: entry.title, value: entry.questions[0]! };
  }

  message(key: MessageKey, tag: string = key): Reply {
    const m = this.kb.messages.messages[key];
    return {
      text: m.text.trim(),
      choices: m.choices.length ? m.choices : undefined,
      links: m.callButton ? [this.callAdmissions] : undefined,
      tag,
    };
  }

  /** The entry's answer; gaps and admissions entries carry the tap-to-call button. */
  answer(entry: Entry): Reply {
    const followUps = entry.followUps.map((id) => this.entries.get(id)).filter((e): e is Entry => Boolean(e));
    const wantsCall = entry.kind === 'gap' || entry.action === 'handoff' || entry.id === 'residential';
    const offer = entry.offerScreening ? this.kb.messages.messages.screeningOffer : undefined;
    const choices = [...(offer?.choices ?? []), ...followUps.map((e) => this.choiceFor(e))].filter(
      (c, i, all) => all.findIndex((x) => x.label === c.label) === i && !(offer && c.value === this.entries.get('find-program')?.questions[0]),
    );
    return {
      text: offer ? `${entry.answer.trim()}\n\n${offer.text.trim()}` : entry.answer.trim(),
      choices: choices.length ? choices : undefined,
      links: wantsCall ? [this.callAdmissions] : undefined,
      tag: `answer:${entry.id}`,
    };
  }

  didYouMean(candidates: Candidate[]): Reply {
    const base = this.message('didYouMean');
    const choices = candidates
      .slice(0, 3)
      .map((c) => this.entries.get(c.id))
      .filter((e): e is Entry => Boolean(e))
      .map((e) => this.choiceFor(e));
    return { ...base, choices: [...choices, { label: NONE_OF_THESE, value: 'none of these' }], tag: 'did-you-mean' };
  }
}
