import { isAffirmative, isNegative } from '../../src/core/affirm';

describe('isAffirmative / isNegative', () => {
  it.each(['yes', 'Yes please', 'yeah go ahead', 'sure', 'ok sure', "let's do it", 'yep', 'Y', 'sounds good', 'sí'])('when a visitor says %j, then it is a yes', (t) => {
    expect(isAffirmative(t)).toBe(true);
    expect(isNegative(t)).toBe(false);
  });
  it.each(['no', 'nah not now', 'not now', 'maybe later', 'no thanks', 'N', "I'd rather not"])('when a visitor says %j, then it is a no', (t) => {
    expect(isNegative(t)).toBe(true);
    expect(isAffirmative(t)).toBe(false);
  });
  it.each(['what is iop', 'how much does it cost', '', 'yes but not now'])('when a visitor says %j, then it is not a plain yes', (t) => {
    expect(isAffirmative(t)).toBe(false);
  });
});
