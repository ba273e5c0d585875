import { extractFirstName, extractNameAndPhone, formatUsPhone, parseUsPhone } from '../../../src/core/handoff/contact';

describe('parseUsPhone', () => {
  it.each([
    ['617-555-0123', '+16175550123'],
    ['(617) 555 0123', '+16175550123'],
    ['+1 617.555.0123', '+16175550123'],
    ['16175550123', '+16175550123'],
    ['6175550123', '+16175550123'],
    ['my number is 617 555 0123', '+16175550123'],
    ['call me at 857-555-0199', '+18575550199'],
    ['six one seven five five five, oh one two three', '+16175550123'],
    ['six one seven 555 0123', '+16175550123'],
    ['(617) 555 0123 ext 12', '+16175550123;ext=12'],
    ['617.555.0123 x204', '+16175550123;ext=204'],
    ['(617) 555 0123 ext', '+16175550123'],
    ['call me at 617 555 0123 please', '+16175550123'],
  ])('when a visitor types %p, then it is read as %p', (typed, e164) => {
    expect(parseUsPhone(typed)).toBe(e164);
  });

  it.each(['555-0123', '123-456-7890', '617-055-0123', '26175550123', '617-555-01234', 'sam', 'what is iop', '', '+44 20 7946 0958', '617-555-0123 or email sam@x.org', 'ext 12', 'six one seven'])(
    'when a visitor types %p, then it is not taken as a US number',
    (typed) => {
      expect(parseUsPhone(typed)).toBeNull();
    },
  );

  it('when a number is shown back, then it reads like a US number', () => {
    expect(formatUsPhone('+16175550123')).toBe('(617) 555-0123');
    expect(formatUsPhone('+16175550123;ext=12')).toBe('(617) 555-0123 ext. 12');
  });
});

describe('extractFirstName', () => {
  it.each([
    ['Sam', 'Sam'],
    ['sam', 'Sam'],
    ['my name is maria', 'Maria'],
    ["I'm Devon.", 'Devon'],
    ['Maria José', 'Maria José'],
    ["o'brien", "O'brien"],
    ['me llamo Lucía', 'Lucía'],
    ['McKenzie', 'McKenzie'],
  ])('when a visitor answers %p, then the name is %p', (typed, name) => {
    expect(extractFirstName(typed)).toBe(name);
  });

  it.each(['what is iop?', 'yes', 'idk', '617-555-0123', 'i would rather not say that right now thanks', '', 'help', '<script>'])(
    'when a visitor answers %p, then it is not taken as a name',
    (typed) => {
      expect(extractFirstName(typed)).toBeNull();
    },
  );
});

describe('extractNameAndPhone', () => {
  it.each([
    ['my name is Sam and my number is 617-555-0123', 'Sam', '+16175550123'],
    ['Sam, 617-555-0123', 'Sam', '+16175550123'],
    ['617 555 0123 Sam', 'Sam', '+16175550123'],
    ["it's Maria, cell is (617) 555-0199 ext 4", 'Maria', '+16175550199;ext=4'],
  ])('when a visitor types %p at the name, then the name and the number are both read', (typed, name, phone) => {
    expect(extractNameAndPhone(typed)).toEqual({ name, phone });
  });

  it.each([
    ['Linda 617-555-0123', 'Linda'],
    ['Linda 617 555 0123 thanks', 'Linda'],
    ['linda (617) 555-0123', 'Linda'],
    ['Maria - (617) 555-0123 - no texts please', 'Maria'],
    ['Maria 6175550123', 'Maria'],
    ['its dana, 6175550123, evenings are best', 'Dana'],
    ['Dana +1 617.555.0123', 'Dana'],
    ['Tina: 617.555.0123', 'Tina'],
    ['Tina, my number is 617-555-0123', 'Tina'],
    ['Myra 1-617-555-0123', 'Myra'],
    ['myra and my cell is 617 555 0123 ext 4', 'Myra'],
    ["Dana's # is 617 555 0123", 'Dana'],
    ['Linda, call me at 617-555-0123', 'Linda'],
    ['ok, Linda 617-555-0123', 'Linda'],
    ['617-555-0123 Maria thanks', 'Maria'],
    ['617-555-0123, Tina, after 6', 'Tina'],
  ])('when a name ending in a letter of a lead word is typed with a number (%p), then the whole name is kept', (typed, name) => {
    expect(extractNameAndPhone(typed)?.name).toBe(name);
  });

  it('when the number is given with "a" or "the" in front of it, then those words are not read as part of the name', () => {
    expect(extractNameAndPhone('Sam and the number is 617-555-0123')).toEqual({ name: 'Sam', phone: '+16175550123' });
    expect(extractNameAndPhone('Sam, a number 617-555-0123')).toEqual({ name: 'Sam', phone: '+16175550123' });
  });

  it.each(['Sam', '617-555-0123', 'what is 617-555-0123', 'Sam 555-0123', 'yes 617-555-0123', '617-555-0123 thanks'])('when a visitor types %p, then it is not a name with a number', (typed) => {
    expect(extractNameAndPhone(typed)).toBeNull();
  });
});
