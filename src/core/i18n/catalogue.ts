import type { Reply } from '../reply';

/** How a list is joined in English ("a, b and c", "x; y"). */
const LIST_SEPARATOR = /(; |, | and )/;

/** "Yes, IOP includes…" and "Sí, el IOP incluye…": the openings dropped together. */
const YES_OPENING = /^Yes[,.]\s+(\w)/;
const SI_OPENING = /^S[íi][,.]\s+(\p{L})/u;

/**
 * English text -> Spanish text, built from the knowledge files and their Spanish
 * mirrors (knowledge/es/). The bot composes every reply in English, the source of
 * truth; a Spanish conversation's reply is translated here, once, just before it is
 * rendered, so no stage or dialog needs to know the language.
 *
 * A text is looked up whole, then paragraph by paragraph (the composer joins the
 * safety line, the acknowledgement, the answers and the pending step with blank
 * lines), then as a template: an English source with `{{name}}` matches the filled
 * text, and what filled it is translated too when it is itself a known text
 * (a level's name inside the suggestion). What the catalogue does not know stays in
 * English: `untranslated()` lists it for the content check.
 */
export class Catalogue {
  private readonly exact = new Map<string, string>();
  private readonly templates: Array<{ pattern: RegExp; names: string[]; spanish: string }> = [];
  /** The English texts seen untranslated (bounded: a sample for tests and the content check). */
  private readonly missed = new Set<string>();

  get size(): number {
    return this.exact.size + this.templates.length;
  }

  /** Add one pair, and its paragraphs pairwise when both have as many. */
  add(english: string, spanish: string): void {
    const en = english.trim();
    const es = spanish.trim();
    if (!en || !es) return;
    if (en.includes('{{')) this.addTemplate(en, es);
    else this.exact.set(squash(en), es);
    // An answer opening "Yes, …" is said without the "Yes" when the question was not a yes-or-no one (src/turn/stages/answer.ts).
    const enBare = en.replace(YES_OPENING, (_, c: string) => c.toUpperCase());
    const esBare = es.replace(SI_OPENING, (_, c: string) => c.toUpperCase());
    if (enBare !== en && esBare !== es) this.add(enBare, esBare);
    const enParts = paragraphs(en);
    const esParts = paragraphs(es);
    if (enParts.length > 1 && enParts.length === esParts.length) enParts.forEach((p, i) => this.add(p, esParts[i]!));
  }

  /** The Spanish for a text, or undefined when unknown. */
  lookup(english: string): string | undefined {
    const key = squash(english.trim());
    if (!key) return english;
    const found = this.exact.get(key);
    if (found !== undefined) return found;
    for (const t of this.templates) {
      const m = t.pattern.exec(key);
      if (!m) continue;
      return t.names.reduce((text, name, i) => text.split(`{{${name}}}`).join(this.fill(m[i + 1]!)), t.spanish);
    }
    return undefined;
  }

  /** The Spanish for a text, paragraph by paragraph, then line by line; what is unknown stays as it was. */
  translate(english: string): string {
    return this.lookup(english) ?? this.byPieces(english, /(\n\s*\n)/, (paragraph) => this.lookup(paragraph) ?? (paragraph.includes('\n') ? this.byPieces(paragraph, /(\n)/, (line) => this.lookup(line)) : this.bySentences(paragraph)));
  }

  /**
   * Known texts joined into one paragraph (an offer and the danger line after a crisis):
   * each run of known sentences translated, when every sentence is known; else nothing.
   */
  private bySentences(paragraph: string): string | undefined {
    const sentences = paragraph.split(/(?<=[.!?])\s+/);
    if (sentences.length < 2) return undefined;
    // The longest known run from each position ("Call 911. Or text 988." may be one known text).
    const out: string[] = [];
    for (let i = 0; i < sentences.length; ) {
      let found: string | undefined;
      let j = sentences.length;
      for (; j > i; j--) if ((found = this.lookup(sentences.slice(i, j).join(' '))) !== undefined) break;
      if (found === undefined) return undefined;
      out.push(found);
      i = j;
    }
    return out.join(' ');
  }

  /** Each piece between separators translated (`one`), or kept and noted as missed. */
  private byPieces(text: string, separator: RegExp, one: (piece: string) => string | undefined): string {
    return text
      .split(separator)
      .map((piece, i) => {
        if (i % 2 === 1 || !piece.trim()) return piece;
        const es = one(piece);
        if (es === undefined) this.miss(piece);
        return es ?? piece;
      })
      .join('');
  }

  translateReply(reply: Reply): Reply {
    return {
      ...reply,
      text: this.translate(reply.text),
      choices: reply.choices?.map((c) => ({ ...c, label: this.label(c.label) })),
      links: reply.links?.map((l) => ({ ...l, label: this.label(l.label) })),
    };
  }

  /** English texts met without a translation since start-up (at most 200). */
  untranslated(): string[] {
    return [...this.missed];
  }

  private label(english: string): string {
    const es = this.lookup(english);
    if (es === undefined) this.miss(english);
    return es ?? english;
  }

  /**
   * A value put into a template: translated when known ("the Intensive Outpatient Program (IOP)"),
   * or piece by piece when it is a list ("a, b and c", "x; y"); else kept (a name, a number).
   */
  private fill(value: string): string {
    const known = this.lookup(value) ?? this.lowerCase(value);
    if (known !== undefined) return known;
    const pieces = value.split(LIST_SEPARATOR);
    if (pieces.length === 1) return value;
    const and = this.exact.get('and') ?? 'and';
    // The longest run of pieces that is a known text: an item may hold a comma ("a safe, supportive home").
    let out = '';
    for (let i = 0; i < pieces.length; ) {
      let j = pieces.length - 1;
      while (j > i && this.lookup(pieces.slice(i, j + 1).join('')) === undefined) j -= 2;
      const item = pieces.slice(i, j + 1).join('');
      out += (this.lookup(item) ?? item) + (pieces[j + 1] ?? '').replace('and', and);
      i = j + 2;
    }
    return out;
  }

  /** "morning" as "Morning" is known ("por la mañana"): a choice's label put in lower case into a sentence. */
  private lowerCase(value: string): string | undefined {
    const first = value.trimStart()[0];
    if (!first || first !== first.toLowerCase() || first === first.toUpperCase()) return undefined;
    const es = this.lookup(value.replace(first, first.toUpperCase()));
    return es && es.replace(/\p{Lu}/u, (c) => c.toLowerCase());
  }

  private addTemplate(en: string, es: string): void {
    const names: string[] = [];
    const source = squash(en)
      .split(/(\{\{\w+\}\})/)
      .map((piece) => {
        const name = /^\{\{(\w+)\}\}$/.exec(piece)?.[1];
        if (!name) return escapeRegExp(piece);
        names.push(name);
        return '([^\\n]+?)';
      })
      .join('');
    this.templates.push({ pattern: new RegExp(`^${source}$`), names, spanish: es });
  }

  private miss(text: string): void {
    if (this.missed.size < 200) this.missed.add(text.trim());
  }
}

/** Line breaks kept, runs of spaces folded (YAML folding and the composer may differ there). */
function squash(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}

function paragraphs(text: string): string[] {
  return text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
