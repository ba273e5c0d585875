import { englishWords } from '../../../src/core/nlu/english';
import { SpellingCorrector } from '../../../src/core/nlu/spelling';

const speller = new SpellingCorrector(['therapy', 'therapy', 'outpatient', 'detox', 'alcohol', 'family', 'evening', 'schedule']);

describe('SpellingCorrector', () => {
  it.each([
    ['theraphy', 'therapy'],
    ['outpatiant', 'outpatient'],
    ['otpatient', 'outpatient'],
    ['detx', 'detox'],
    ['alchohol', 'alcohol'],
    ['famliy', 'family'],
    ['shedule', 'schedule'],
  ])('when a visitor types %s, then it becomes %s', (typo, word) => {
    expect(speller.correct(typo)).toBe(word);
  });

  it('when a word is known, short, numeric or far from everything, then it is left alone', () => {
    expect(speller.correct('therapy')).toBe('therapy');
    expect(speller.correct('ur')).toBe('ur');
    expect(speller.correct('2024')).toBe('2024');
    expect(speller.correct('pizza')).toBe('pizza');
  });

  it('when a "word" is longer than any known word by more than its edits, then it is left alone without a lookup per deletion variant', () => {
    // Its deletion variants grow as length^2 (a 2,000-letter one blocked the event loop for 30 s); no variant could match.
    const long = 'qwertyuiopasdfghjklzxcvbnm'.repeat(12);
    const lookups = jest.spyOn(Map.prototype, 'get');
    try {
      expect(speller.correct(long)).toBe(long);
      expect(speller.correct('outpatientsss')).toBe('outpatientsss');
      expect(lookups.mock.calls.length).toBeLessThan(10);
    } finally {
      lookups.mockRestore();
    }
    // Two letters past the longest known word is still within reach.
    expect(speller.correct('outpatientss')).toBe('outpatient');
  });

  it('when a real English word is one letter from a known word, then it is still left alone', () => {
    const guarded = new SpellingCorrector(['train', 'price', 'coke', 'therapy'], englishWords());
    expect(guarded.correct('drain')).toBe('drain');
    expect(guarded.correct('rice')).toBe('rice');
    expect(guarded.correct('joke')).toBe('joke');
    // A typo is not an English word, so it is still corrected.
    expect(guarded.correct('theraphy')).toBe('therapy');
  });
});
