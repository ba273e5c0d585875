import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import {
  CONTACT_PREFERENCES,
  CONTACT_PREFERENCES_FILE,
  contactPreferencesFile,
  describePreferences,
  loadContactPreferences,
  readContactPreferences,
  type ContactPreferencesFile,
} from '../../../src/core/handoff/contactPreferences';
import { knowledgeDir } from '../../../src/core/knowledge/load';

const SHIPPED = path.join(knowledgeDir(), CONTACT_PREFERENCES_FILE);

describe('readContactPreferences', () => {
  it.each([
    ['calls yes, no texts', ['no-texts']],
    ["please don't text", ['no-texts']],
    ['Please don’t text me', ['no-texts']],
    ['do not text me', ['no-texts']],
    ['NO TXT', ['no-texts']],
    ['no texts, he reads my phone', ['no-texts', 'discreet']],
    ['text only', ['text-only']],
    ['just text me', ['text-only']],
    ["text me don't call", ['text-only']],
    ["text me, don't call", ['text-only']],
    ['texts are fine but no calls', ['text-only']],
    ["i can't talk at work, text me", ['text-only']],
    ["don't call me", ['no-calls']],
    ['no voicemail', ['no-voicemail']],
    ['no vm pls', ['no-voicemail']],
    ["don't leave a message", ['no-voicemail']],
    ['in Spanish please', ['spanish']],
    ['en español', ['spanish']],
    ['¿habla español?', ['spanish']],
    ['no hablo inglés', ['spanish']],
    ['shared phone', ['discreet']],
    ["don't say where you're calling from", ['discreet']],
    ['dont say where ur calling from', ['discreet']],
    ['dont mention treatment', ['discreet']],
    ["don't mention rehab, my wife might see", ['discreet']],
    ['my husband checks my phone', ['discreet']],
    ["please don't call or text", ['no-texts', 'no-calls']],
    ['no voicemail, en español, shared phone, no texts', ['no-texts', 'no-voicemail', 'spanish', 'discreet']],
  ])('when a visitor writes %p, then the preferences read are %p', (typed, expected) => {
    expect(readContactPreferences(typed)).toEqual(expected);
  });

  it.each([
    'no, texts are fine',
    "it's not a shared phone",
    "I don't speak spanish",
    'no hablo español',
    'nobody reads my phone',
    'what are your hours?',
    'my number is 617-555-0123',
    'yes',
    '',
    'just call me after 6',
  ])('when a visitor writes %p, then no preference is read', (typed) => {
    expect(readContactPreferences(typed)).toEqual([]);
  });

  it.each([
    ['solo llamadas', ['no-texts']],
    ['no me manden mensajes', ['no-texts']],
    ['no me manden textos por favor', ['no-texts']],
    ['sin mensajes de texto', ['no-texts']],
    ['prefiero que me llamen', ['no-texts']],
    ['solo mensajes de texto', ['text-only']],
    ['solo textos', ['text-only']],
    ['no puedo hablar en el trabajo', ['text-only']],
    ['escríbanme, no me llamen', ['text-only']],
    ['no me llamen', ['no-calls']],
    ['no quiero llamadas', ['no-calls']],
    ['no dejen mensaje de voz', ['no-voicemail']],
    ['no me dejen mensajes', ['no-voicemail']],
    ['sin buzón de voz', ['no-voicemail']],
    ['en español', ['spanish']],
    ['prefiero español', ['spanish']],
    ['alguien que hable español por favor', ['spanish']],
    ['no entiendo inglés', ['spanish']],
    ['sean discretos', ['discreet']],
    ['compartimos el teléfono', ['discreet']],
    ['mi esposo revisa mi celular', ['discreet']],
    ['no digan de dónde llaman', ['discreet']],
    ['mi familia no sabe nada', ['discreet']],
    ['no dejen mensaje de voz, en español, no me manden textos', ['no-texts', 'no-voicemail', 'spanish']],
  ])('when a Spanish visitor writes %p, then the preferences read are %p', (typed, expected) => {
    expect(readContactPreferences(typed)).toEqual(expected);
  });

  it.each(['no, los mensajes están bien', 'no hablo español', 'no compartimos el teléfono', 'sí', 'solo llámenme después de las 6', '¿cuánto cuesta el programa?'])(
    'when a Spanish visitor writes %p, then no preference is read',
    (typed) => {
      expect(readContactPreferences(typed)).toEqual([]);
    },
  );

  it('when a preference is said twice, then it is read once, in the fixed order', () => {
    expect(readContactPreferences('he reads my phone. no texts! no texts please, shared phone')).toEqual(['no-texts', 'discreet']);
  });
});

describe('describePreferences', () => {
  it('when staff read a request\'s preferences, then they get the labels in the fixed order, the first capitalised', () => {
    expect(describePreferences(['discreet', 'no-voicemail', 'no-texts'])).toBe('No texts; no voicemail; discreet: others may see the phone');
    expect(describePreferences(['spanish'])).toBe('In Spanish');
  });

  it('when there are none, or a stored value is unknown, then nothing is said for it', () => {
    expect(describePreferences([])).toBe('');
    expect(describePreferences(undefined)).toBe('');
    expect(describePreferences(['no-fax', 'text-only'])).toBe('Text only');
  });
});

describe('knowledge/contact-preferences.yaml', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gbac-contact-prefs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const shipped = () => parseYaml(readFileSync(SHIPPED, 'utf8')) as Record<string, unknown> & { preferences: Record<string, Record<string, unknown>> };
  const write = (data: unknown) => {
    const file = path.join(dir, CONTACT_PREFERENCES_FILE);
    writeFileSync(file, stringify(data));
    return file;
  };

  it('when the shipped file is loaded, then every preference has a label and phrases that it reads itself', () => {
    const file = loadContactPreferences(SHIPPED);
    for (const id of CONTACT_PREFERENCES) {
      expect(file.preferences[id].label).not.toBe('');
      // The first phrase alone is read as that preference (nothing shadows it).
      expect(readContactPreferences(file.preferences[id].phrases[0]!, file)).toContain(id);
    }
    expect(contactPreferencesFile()).toEqual(file);
  });

  it('when a reviewer adds a phrase or changes a label, then the reading and the staff text follow the file', () => {
    const data = shipped();
    (data.preferences.discreet!.phrases as string[]).push('my boss sees everything');
    data.preferences['no-texts']!.label = 'no text messages';
    const file: ContactPreferencesFile = loadContactPreferences(write(data));
    expect(readContactPreferences('My boss sees everything, no texts', file)).toEqual(['no-texts', 'discreet']);
    expect(describePreferences(['no-texts'], file)).toBe('No text messages');
  });

  it('when a preference has no phrases, then loading fails naming the file and the field', () => {
    const data = shipped();
    data.preferences['no-voicemail']!.phrases = [];
    expect(() => loadContactPreferences(write(data))).toThrow(/contact-preferences\.yaml[\s\S]*no-voicemail\.phrases/);
  });

  it('when a preference is missing or unknown, then loading fails naming it', () => {
    const missing = shipped();
    delete missing.preferences.spanish;
    expect(() => loadContactPreferences(write(missing))).toThrow(/spanish/);
    const unknown = shipped();
    unknown.preferences['no-fax'] = { label: 'no fax', phrases: ['no fax'] };
    expect(() => loadContactPreferences(write(unknown))).toThrow(/no-fax/);
  });

  it('when one variant is given for two words, then loading fails naming both', () => {
    const data = shipped();
    (data.sameWords as Record<string, string[]>).call!.push('txt');
    expect(() => loadContactPreferences(write(data))).toThrow(/sameWords\.call[\s\S]*"txt" is also a variant of "text"/);
  });

  it('when a not-word is more than one word, then loading fails naming the field', () => {
    const data = shipped();
    (data.notWords as string[]).push('no one');
    expect(() => loadContactPreferences(write(data))).toThrow(/notWords/);
  });
});
