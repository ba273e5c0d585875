import type { Choice, LinkButton, Reply } from '../reply';

/** The sections of one reply, in the order they are said. */
export type Section = 'safety' | 'ack' | 'answer' | 'note' | 'pending';

/** At most this many answers in one reply; the rest would bury the pending step. */
export const MAX_ANSWERS = 2;

/**
 * Builds the one reply of a turn from its parts: safety first when a risk is
 * present now, then a short acknowledgement (a feeling, a denial, an apology),
 * then the answer to each question (at most two), then a note under the answers
 * (the concern line: "if you or someone else is ever in danger…"), then the pending step or the
 * offer. Texts are joined into one message; the buttons are the last part's
 * (what the visitor is asked last is what they answer), links are merged.
 */
export class ReplyComposer {
  // One list per section, said in this order (plain fields: this runs on every turn).
  private safety: Reply[] = [];
  private ack: Reply[] = [];
  private answer: Reply[] = [];
  private note: Reply[] = [];
  private pending: Reply[] = [];

  private list(section: Section): Reply[] {
    return section === 'safety' ? this.safety : section === 'ack' ? this.ack : section === 'answer' ? this.answer : section === 'note' ? this.note : this.pending;
  }

  add(section: Section, reply: Reply): this {
    this.list(section).push(reply);
    return this;
  }

  has(section: Section): boolean {
    return this.list(section).length > 0;
  }

  /** The reply so far, as one Reply, and the composer emptied; undefined when there is nothing to say. */
  take(): Reply | undefined {
    const { safety, ack, answer, note, pending } = this;
    // A note alone is never a reply: it goes under an answer.
    if (!safety.length && !ack.length && !answer.length && !pending.length) {
      this.note = [];
      return undefined;
    }
    this.safety = [];
    this.ack = [];
    this.answer = [];
    this.note = [];
    this.pending = [];
    const all = [...safety, ...ack, ...answer, ...note, ...pending];
    // Buttons answer what is asked last: the pending step's, else the last part's. With safety text, only its
    // own buttons (or the pending step's): a number typed next must never pick an FAQ follow-up.
    const lastPending = pending[pending.length - 1];
    const lastSaid = pending[pending.length - 1] ?? answer[answer.length - 1] ?? ack[ack.length - 1] ?? safety[safety.length - 1]!;
    const choices: Choice[] | undefined = safety.length ? (lastPending ?? safety[safety.length - 1]!).choices : lastSaid.choices;
    let text = '';
    let tag = '';
    const links: LinkButton[] = [];
    for (const r of all) {
      const t = r.text.trim();
      if (t) text = text ? `${text}\n\n${t}` : t;
      if (r.tag) tag = tag ? `${tag}+${r.tag}` : r.tag;
      for (const l of r.links ?? []) if (!links.some((x) => x.uri === l.uri)) links.push(l);
    }
    return { text, choices, links: links.length ? links : undefined, tag: tag || undefined };
  }
}
