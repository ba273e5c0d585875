import { mkdtempSync, mkdirSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Catalogue } from '../../../src/core/i18n/catalogue';
import { loadCatalogue, missingSpanish, walkMirror } from '../../../src/core/i18n/mirror';
import { KnowledgeFileError, knowledgeDir, loadKnowledgeBase } from '../../../src/core/knowledge/load';
import { conversationLanguage } from '../../../src/core/nlu/language';

describe('Catalogue: English replies said in Spanish', () => {
  const c = new Catalogue();
  c.add('Yes, IOP includes individual therapy.', 'Sí, el IOP incluye terapia individual.');
  c.add('Thanks, {{name}}. What number should they {{contact}}?', 'Gracias, {{name}}. ¿A qué número deben {{contact}}?');
  c.add('call or text', 'llamarle o escribirle');
  c.add('You told me {{reasons}}.', 'Usted me dijo que {{reasons}}.');
  c.add('you have a safe, supportive home', 'tiene un hogar seguro y que le apoya');
  c.add('you sometimes have cravings', 'a veces tiene ansias de consumir');
  c.add('and', 'y');
  c.add('First paragraph.\n\nSecond paragraph.', 'Primer párrafo.\n\nSegundo párrafo.');

  it('when two known texts are joined into one paragraph, then each is said in Spanish; with an unknown sentence, the paragraph stays whole', () => {
    const joined = new Catalogue();
    joined.add('You can call admissions now, or I can ask them to call you back.', 'Puede llamar a admisiones ahora, o puedo pedirles que le llamen.');
    joined.add("If you're in danger right now, call 911.", 'Si está en peligro ahora mismo, llame al 911.');
    expect(joined.translate("You can call admissions now, or I can ask them to call you back. If you're in danger right now, call 911.")).toBe(
      'Puede llamar a admisiones ahora, o puedo pedirles que le llamen. Si está en peligro ahora mismo, llame al 911.',
    );
    expect(joined.translate("You can call admissions now, or I can ask them to call you back. Something new.")).toBe("You can call admissions now, or I can ask them to call you back. Something new.");
  });

  it('when a known text is said, then its Spanish is said, whatever its runs of spaces', () => {
    expect(c.translate('  Yes, IOP includes individual   therapy.')).toBe('Sí, el IOP incluye terapia individual.');
  });

  it('when an answer is said without its opening "Yes", then the Spanish drops its "Sí" too', () => {
    expect(c.translate('IOP includes individual therapy.')).toBe('El IOP incluye terapia individual.');
  });

  it('when a template is filled, then the Spanish template is filled with the same values, translated when known', () => {
    expect(c.translate('Thanks, Rosa. What number should they call or text?')).toBe('Gracias, Rosa. ¿A qué número deben llamarle o escribirle?');
  });

  it('when a list fills a template, then each item is translated, an item with a comma too, joined with "y"', () => {
    expect(c.translate('You told me you sometimes have cravings and you have a safe, supportive home.')).toBe('Usted me dijo que a veces tiene ansias de consumir y tiene un hogar seguro y que le apoya.');
  });

  it('when a button label is put in lower case into a sentence ("(morning)"), then its Spanish is too', () => {
    const k = new Catalogue();
    k.add('Morning', 'Por la mañana');
    k.add('They will call you ({{bestTime}}).', 'Le van a llamar ({{bestTime}}).');
    expect(k.translate('They will call you (morning).')).toBe('Le van a llamar (por la mañana).');
    expect(k.translate('They will call you (after 5pm).')).toBe('Le van a llamar (after 5pm).');
  });

  it('when the composer joins known paragraphs, then each is translated, and what is unknown stays and is listed', () => {
    expect(c.translate('Second paragraph.\n\nSomething new.\n\nFirst paragraph.')).toBe('Segundo párrafo.\n\nSomething new.\n\nPrimer párrafo.');
    expect(c.untranslated()).toContain('Something new.');
  });

  it('when a reply is translated, then its text and button labels are, and what a button sends back is not', () => {
    const r = c.translateReply({ text: 'First paragraph.', choices: [{ label: 'and', value: 'and' }], links: [{ label: 'and', uri: 'tel:988' }] });
    expect(r).toEqual({ text: 'Primer párrafo.', choices: [{ label: 'y', value: 'and' }], links: [{ label: 'y', uri: 'tel:988' }] });
  });
});

describe('Spanish mirrors of the knowledge files', () => {
  it('when the real knowledge base is loaded, then every entry, message and button has its Spanish', () => {
    const kb = loadKnowledgeBase();
    expect(missingSpanish(knowledgeDir(), kb.faq.entries, kb.messages.messages)).toEqual([]);
    expect(loadCatalogue(knowledgeDir()).size).toBeGreaterThan(300);
  });

  it('when a mirror has a key the English file lacks, or numbers that differ, then loading names the file and the place', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kb-es-'));
    cpSync(knowledgeDir(), dir, { recursive: true });
    mkdirSync(path.join(dir, 'es'), { recursive: true });
    writeFileSync(path.join(dir, 'es', 'messages.yaml'), 'messages:\n  welcome:\n    text: "Llame al (877) 920-6584."\n  nosuch:\n    text: "hola"\n');
    let error: unknown;
    try {
      loadCatalogue(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KnowledgeFileError);
    expect(String(error)).toMatch(/messages\.yaml/);
    expect(String(error)).toMatch(/messages\.welcome\.text: the numbers differ/);
    expect(String(error)).toMatch(/messages\.nosuch: no English key here/);
  });

  it('when lists are mirrored, then items with an id are matched by id and others by position', () => {
    const pairs: string[] = [];
    const problems: string[] = [];
    walkMirror(
      { entries: [{ id: 'a', title: 'A' }, { id: 'b', title: 'B' }], choices: [{ label: 'One' }, { label: 'Two' }] },
      { entries: [{ id: 'b', title: 'Be' }], choices: [{ label: 'Uno' }, { label: 'Dos' }, { label: 'Tres' }] },
      'f',
      (en, es) => pairs.push(`${en}=${es}`),
      problems,
    );
    expect(pairs).toEqual(['B=Be', 'One=Uno', 'Two=Dos']);
    expect(problems).toEqual(['f.choices[2]: no English item here']);
  });
});

describe("the conversation's language", () => {
  it('when the first message is Spanish, or the channel locale is, then the conversation is Spanish', () => {
    expect(conversationLanguage(undefined, 'es', 'hola', ['hola'])).toBe('es');
    expect(conversationLanguage(undefined, 'en', 'iop?', ['iop'], 'es-US')).toBe('es');
    expect(conversationLanguage(undefined, 'en', 'iop?', ['iop'], 'en-US')).toBe('en');
  });

  it('when an English conversation gets a short "no gracias", then it stays English; a Spanish sentence turns it', () => {
    expect(conversationLanguage('en', 'es', 'no gracias', ['no', 'gracias'])).toBe('en');
    expect(conversationLanguage('en', 'es', 'necesito ayuda para mi hijo', ['necesito', 'ayuda', 'para', 'mi', 'hijo'])).toBe('es');
    expect(conversationLanguage('en', 'es', '¿y el horario?', ['y', 'el', 'horario'])).toBe('es');
  });

  it('when a Spanish conversation gets "ok", "IOP?" or a name, then it stays Spanish; a plainly English sentence turns it back', () => {
    expect(conversationLanguage('es', 'en', 'ok', ['ok'])).toBe('es');
    expect(conversationLanguage('es', 'en', 'Kevin', ['kevin'])).toBe('es');
    expect(conversationLanguage('es', 'en', 'what is it that you do for families', ['what', 'is', 'it', 'that', 'you', 'do', 'for', 'families'])).toBe('en');
  });
});
