import { BilingualRecognizer, spanishRecognizer } from '../../../src/core/nlu/bilingual';
import { kb, recognizer as english } from '../../helpers/bot';

describe('BilingualRecognizer: English and Spanish questions over the same entries', () => {
  const spanish = spanishRecognizer(kb)!;
  const englishOnly = (english as BilingualRecognizer).english;

  it('when no Spanish message has come, then the Spanish recognizer is not built; the first one builds it once', () => {
    let builds = 0;
    const r = new BilingualRecognizer(englishOnly, () => (builds++, spanish.build()), spanish.vocabulary);
    expect(r.recognize('what is iop').candidates[0]?.id).toBe('what-is-iop');
    expect(builds).toBe(0);
    expect(r.recognize('¿qué es un programa intensivo ambulatorio?').candidates[0]?.id).toBe('what-is-iop');
    r.recognize('¿cuánto cuesta?');
    r.warm();
    expect(builds).toBe(1);
  });

  it('when a message has few Spanish function words but Spanish-only words, then it is Spanish; a first name alone is not', () => {
    const r = new BilingualRecognizer(englishOnly, spanish.build, spanish.vocabulary);
    expect(r.languageOf('hay parqueo?')).toBe('es');
    expect(r.languageOf('muchas gracias, Dios le bendiga')).toBe('es');
    expect(r.languageOf('is there parking')).toBe('en');
    expect(r.languageOf('Jose')).toBe('en');
    expect(r.languageOf('617-555-0123')).toBe('en');
  });

  it('when a Spanish question closes with thanks, then the question decides', () => {
    const r = new BilingualRecognizer(englishOnly, spanish.build, spanish.vocabulary);
    expect(r.recognize('¿tienen grupos de noche? gracias').candidates[0]?.id).toBe('day-evening-sessions');
  });
});
