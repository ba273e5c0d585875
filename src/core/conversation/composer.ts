import type { Choice, LinkButton, Reply } from '../reply';

/** The sections of one reply, in the order they are said. */
export type Section = 'safety' | 'ack' | 'answer' | 'pending';
const ORDER: Section[] = ['safety', 'ack', 'answer', 'pending'];

/** At most this many answers in one reply; the rest would bury the pending step. */
export const MAX_ANSWERS = 2;

/**
 * Builds the one reply of a turn from its parts: safety first when a risk is
 * present now, then a short acknowledgement (a feeling, a denial, an apology),
 * then the answer to each question (at most two), then the pending step or the
 * offer. Texts are joined into one message; the buttons are the last part's
 * (what the visitor is asked last is what they answer), links are merged.
 */
export class ReplyComposer {
  private readonly parts = new Map<Section, Reply[]>(ORDER.map((s) => [s, []]));

  add(section: Section, reply: Reply): this {
    this.parts.get(section)!.push(reply);
    this.sectionOf.set(reply, section);
    return this;
  }

  has(section: Section): boolean {
    return this.parts.get(section)!.length > 0;
  }

  get answers(): number {
    return this.parts.get('answer')!.length;
  }

  get empty(): boolean {
    return ORDER.every((s) => !this.has(s));
  }

  private readonly sectionOf = new Map<Reply, Section>();

  private lastOf(section: Section, all: Reply[]): Reply | undefined {
    return [...all].reverse().find((r) => this.sectionOf.get(r) === section);
  }

  /** The reply so far, as one Reply, and the composer emptied; undefined when there is nothing to say. */
  take(): Reply | undefined {
    const all = ORDER.flatMap((s) => this.parts.get(s)!.splice(0));
    if (!all.length) return undefined;
    const texts = all.map((r) => r.text.trim()).filter(Boolean);
    // Buttons answer what is asked last: the pending step's, else the safety check-in's, else the last part's.
    const last = (section: Section) => this.lastOf(section, all);
    // With safety text, only its own buttons (or the pending step's): a number typed next must never pick an FAQ follow-up.
    const safety = last('safety');
    const choices: Choice[] | undefined = safety ? (last('pending') ?? safety).choices : (last('pending') ?? all[all.length - 1])?.choices;
    const links: LinkButton[] = [];
    for (const r of all) for (const l of r.links ?? []) if (!links.some((x) => x.uri === l.uri)) links.push(l);
    return {
      text: texts.join('\n\n'),
      choices,
      links: links.length ? links : undefined,
      tag: all.map((r) => r.tag).filter(Boolean).join('+') || undefined,
    };
  }
}
