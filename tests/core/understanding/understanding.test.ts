import { PhraseList, phrases } from '../../../src/core/understanding/phrases';
import { segment } from '../../../src/core/understanding/segment';
import { understand } from '../../../src/core/understanding/understand';
import { readCheckIn, readOffer } from '../../../src/core/conversation/expectation';

const within = (...list: string[]) => new PhraseList({ match: 'within', phrases: list });
const whole = (...list: string[]) => new PhraseList({ match: 'whole', phrases: list });

describe('the phrase notation of knowledge/phrases.yaml', () => {
  it('when a phrase has alternatives, an optional group, a prefix and "_", then each means what the file header says', () => {
    const p = whole('(call|text) (me)? back', 'overdos*', 'is _ a patient');
    expect(['call back', 'text me back', 'overdosed', 'overdosing', 'is kevin a patient'].every((t) => p.test(t))).toBe(true);
    expect(['call you back', 'is kevin smith a patient', 'od'].some((t) => p.test(t))).toBe(false);
  });

  it('when "..." stands between two words, then up to eight words may come between them, and no more', () => {
    const p = within('suggest ... again');
    expect(p.test('what did you suggest to me about the program again')).toBe(true);
    expect(p.test(`suggest ${'word '.repeat(9)}again`)).toBe(false);
  });

  it('when a within phrase matches inside a word, then it does not count', () => {
    expect(within('od').test('a good day')).toBe(false);
    expect(within('od').test('he had an od')).toBe(true);
  });
});

describe('segment and understand', () => {
  const ph = phrases();
  const acts = (text: string) => understand(text, ph).acts.map((a) => ('value' in a ? `${a.act}:${a.value}` : 'command' in a ? `${a.act}:${a.command}` : 'what' in a ? `${a.act}:${a.what}` : a.act));

  it('when two questions are joined by "and", then they are two parts, each a question', () => {
    const parts = segment('do you have a waitlist and do you take MassHealth');
    expect(parts.map((p) => p.text)).toEqual(['do you have a waitlist', 'do you take MassHealth']);
    expect(parts.every((p) => p.interrogative)).toBe(true);
  });

  it('when a question follows a comma ("my roommates drink a lot, can iop still work for me"), then it is a part of its own, a question', () => {
    for (const [text, question] of [
      ['my roommates drink a lot, can iop still work for me', 'can iop still work for me'],
      ['i have a court case coming up bc of my drinking, does anyone there help with the legal side', 'does anyone there help with the legal side'],
      ['i work nights at the shipyard, any evening groups', 'any evening groups'],
    ]) {
      const parts = segment(text!);
      expect(parts.map((p) => [p.text, p.interrogative])).toEqual([[text!.slice(0, text!.indexOf(',')), false], [question, true]]);
    }
  });

  it('when a comma opens a clause that is not a question ("my son, who is 17, drinks"; "any time works"), then no question is read', () => {
    expect(segment('my son, who is 17, drinks every weekend').some((p) => p.interrogative)).toBe(false);
    expect(segment('morning, any day works').some((p) => p.interrogative)).toBe(false);
    expect(segment('any time').some((p) => p.interrogative)).toBe(false);
  });

  it('when a statement holds a question ("not sure what i even need"), then it is read as a question', () => {
    expect(segment('i drink most days and its getting worse. not sure what i even need').map((p) => p.interrogative)).toEqual([false, true]);
    expect(segment('honestly i want to know if the people there will understand').every((p) => p.interrogative)).toBe(true);
  });

  it('when a one-sentence message comes, then it is one part with its plain form', () => {
    expect(segment("What's IOP")).toEqual([{ text: "What's IOP", normalized: 'whats iop', interrogative: true }]);
  });

  it('when a message says ok and asks, then it holds a yes, an acknowledgement and a question', () => {
    expect(acts('ok. what levels of care do you have?')).toEqual(['answer:yes', 'smalltalk:ack', 'question']);
  });

  it('when a message denies, corrects, tells a feeling or discloses use, then those acts are read', () => {
    expect(acts('im not suicidal')).toContain('deny:risk');
    expect(acts("i didn't ask for a callback")).toContain('deny:action');
    expect(acts('I feel like such a failure')).toContain('feeling');
    expect(acts('i drink like 6 beers every nite')).toContain('disclose');
  });

  it('when "forget me" comes inside a sentence, then it is a request', () => {
    expect(acts('fine. forget me. delete this convo')).toContain('request:forget-me');
  });

  it('when an offer is open, then a lone yes accepts it, a yes with a question leaves it open, and a goodbye does not accept it', () => {
    const offer = { kind: 'offer' as const, offer: 'person' as const };
    expect(readOffer(understand('yes please', ph), offer)).toBe('accepted');
    expect(readOffer(understand('ok. what levels of care do you have?', ph), offer)).toBe('open');
    expect(readOffer(understand('ok thx bye', ph), offer)).not.toBe('accepted');
    expect(readOffer(understand('not now', ph), offer)).toBe('declined');
  });

  it('when "are you safe right now?" is answered, then safe and unsafe are told apart (a step toward help is the stage\'s, see turnKinds)', () => {
    expect(readCheckIn(understand('yes im safe', ph), ph)).toBe('safe');
    expect(readCheckIn(understand('idk. prob not', ph), ph)).toBe('unsafe');
    expect(readCheckIn(understand("he's in the ER with psych at bedside, he's safe", ph), ph)).toBe('safe');
    expect(readCheckIn(understand('no', ph), ph)).toBe('unsafe');
    expect(readCheckIn(understand('what is iop', ph), ph)).toBe('other');
  });
});
