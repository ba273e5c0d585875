import { basicNormalize, foldCase, words } from '../../../src/core/text/normalize';

describe('basicNormalize', () => {
  it.each([
    ['Don’t you have EVENING groups??', 'dont you have evening groups'],
    ['¿Cuánto cuesta?', 'cuanto cuesta'],
    ['soooooo tired...', 'soo tired'],
    ['  iop   hrs?! ', 'iop hrs'],
    ['🙂🙂', ''],
    ['', ''],
  ])('when given %j, then it returns %j', (input, expected) => {
    expect(basicNormalize(input)).toBe(expected);
  });

  it('when text has accents, then foldCase removes them and lower-cases', () => {
    expect(foldCase('SOBREDÓSIS')).toBe('sobredosis');
  });

  it('when the text is empty, then there are no words', () => {
    expect(words('')).toEqual([]);
    expect(words('a b')).toEqual(['a', 'b']);
  });
});
