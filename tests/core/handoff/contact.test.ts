import { extractFirstName, extractNameAndPhone, formatUsPhone, nameBesideNumber, parseUsPhone, phoneInText, readCallbackDetails, readConsentAnswer } from '../../../src/core/handoff/contact';

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
    ['Sam thanks', 'Sam'],
    ['Will', 'Will'],
    // Spanish lead-ins and courtesies around the name.
    ['ya te dije Jorge', 'Jorge'],
    ['Jorge', 'Jorge'],
    ['me llamo Rosa', 'Rosa'],
    ['soy Ana', 'Ana'],
    ['mi nombre es Luis', 'Luis'],
    ['dígale que pregunte por Carmen', 'Carmen'],
    ['que pregunten por Carmen', 'Carmen'],
    ['ya le dije, Jorge', 'Jorge'],
    ['Rosa, gracias', 'Rosa'],
    ['señora Rosa', 'Rosa'],
    ['doña Carmen', 'Carmen'],
    ['Don', 'Don'],
    ['José Luis', 'José Luis'],
  ])('when a visitor answers %p, then the name is %p', (typed, name) => {
    expect(extractFirstName(typed)).toBe(name);
  });

  it.each(['what is iop?', 'yes', 'idk', '617-555-0123', 'i would rather not say that right now thanks', '', 'help', '<script>', 'call me tmrw', 'text', 'tonight', 'ya te dije', 'sí', 'mañana por la tarde'])(
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

describe('readCallbackDetails', () => {
  it.each([
    ['this is Tom 617-555-0123, call after 6, no voicemail', { name: 'Tom', phone: '+16175550123', bestTime: 'after 6', preferences: ['no-voicemail'] }],
    ['Linda 617 555 0123 thanks', { name: 'Linda', phone: '+16175550123', preferences: [] }],
    ['its dana, 6175550123, evenings are best', { name: 'Dana', phone: '+16175550123', bestTime: 'evenings are best', preferences: [] }],
    ['Maria - (617) 555-0123 - no texts please', { name: 'Maria', phone: '+16175550123', preferences: ['no-texts'] }],
    ['Tina 1 (617) 555-0123 before 9am', { name: 'Tina', phone: '+16175550123', bestTime: 'before 9am', preferences: [] }],
    ['MYRA 617.555.0123', { name: 'Myra', phone: '+16175550123', preferences: [] }],
    ['Sam Rivera 617-555-0123', { name: 'Sam Rivera', phone: '+16175550123', preferences: [] }],
    ['617-555-0123 Sam', { name: 'Sam', phone: '+16175550123', preferences: [] }],
    ["hi i'm linda, call me at six one seven five five five oh one two three", { name: 'Linda', phone: '+16175550123', preferences: [] }],
    ['My name is jo and my cell is 617.555.0123 ext 5', { name: 'Jo', phone: '+16175550123;ext=5', preferences: [] }],
    ['mi nombre es Luis, 617-555-0123', { name: 'Luis', phone: '+16175550123', preferences: [] }],
    ['que pregunten por Carmen, 617-555-0123', { name: 'Carmen', phone: '+16175550123', preferences: [] }],
    ["It's Maria Lopez, text only please, he reads my phone", { name: 'Maria Lopez', preferences: ['text-only', 'discreet'] }],
    ['im dana, text me, dont call, before 9am', { name: 'Dana', bestTime: 'before 9am', preferences: ['text-only'] }],
    ['my number is 617 555 0123 and im available mornings or evenings', { phone: '+16175550123', bestTime: 'mornings or evenings', preferences: [] }],
  ])('when a visitor volunteers %p, then each detail is read as a person would', (typed, details) => {
    expect(readCallbackDetails(typed)).toEqual(details);
  });

  it.each(['mornings', 'evenings are best', 'any time', 'tuesday afternoon', 'before 9am', 'after 6', 'weekdays after 5', 'anytime is fine'])(
    'when a visitor answers only with a time (%p), then it is the best time, as typed',
    (typed) => {
      expect(readCallbackDetails(typed)).toEqual({ bestTime: typed, preferences: [] });
    },
  );

  it.each(['I drink every night', 'I relapsed last night', 'I work from 9 to 5', 'I have been sober for 30 days'])(
    'when a visitor mentions a time that is not about being reached (%p), then no best time is read',
    (typed) => {
      expect(readCallbackDetails(typed).bestTime).toBeUndefined();
    },
  );

  it.each([
    'yes',
    'ok 617-555-0123',
    'help',
    'no',
    'my son 617-555-0123',
    'what is iop',
    'what 617-555-0123',
    'Text 617-555-0123',
    'Free 617-555-0123',
    'Evenings 617-555-0123',
    '617-555-0123 thanks',
    "I'm free after 6",
    "I'm looking for help for my son",
    'I am worried about my daughter',
    'this is for my son',
    "it's ok",
    "I'm Linda's mom",
    'i am tired',
    'call me tomorrow',
    'call me at 617-555-0123',
  ])('when a visitor writes %p, then no name is read from it', (typed) => {
    expect(readCallbackDetails(typed).name).toBeUndefined();
  });

  it('when a message says nothing about a callback, then only an empty list of preferences comes back', () => {
    expect(readCallbackDetails('what does IOP mean?')).toEqual({ preferences: [] });
  });
});

describe('readConsentAnswer', () => {
  it.each([
    ["yes, but please don't text", 'yes', ['no-texts']],
    ['calls ok, no texts', 'yes', ['no-texts']],
    ['calls yes, no texts', 'yes', ['no-texts']],
    ['text only pls', 'yes', ['text-only']],
    ['only text, he reads my phone', 'yes', ['text-only', 'discreet']],
    ['yes but no voicemail', 'yes', ['no-voicemail']],
    ['no texts', 'yes', ['no-texts']],
    ['no, text only', 'yes', ['text-only']],
    ["text me don't call", 'yes', ['text-only']],
    ['sí, en español', 'yes', ['spanish']],
    ["ok but don't say where you're calling from", 'yes', ['discreet']],
    ['yes', 'yes', []],
    ['yeah go ahead', 'yes', []],
    ['sure, no problem', 'yes', []],
    ['yes, but not before 5', 'yes', []],
    ['no', 'no', []],
    ["don't contact me", 'no', []],
    ['no thanks', 'no', []],
    ['nah', 'no', []],
    ['not now', 'no', []],
    ["please don't call or text", 'no', ['no-texts', 'no-calls']],
    ["no, don't text", null, ['no-texts']],
    ['en español', null, ['spanish']],
    ['what do you mean?', null, []],
  ])('when a visitor answers the consent question with %p, then the answer is %p with %p', (typed, answer, preferences) => {
    expect(readConsentAnswer(typed)).toEqual({ answer, preferences });
  });
});

describe('nameBesideNumber and phoneInText', () => {
  it('when a name stands just before a number in a longer message, then it is the name, and the number is found as typed', () => {
    expect(nameBesideNumber('call me back please. Denise Ruiz, 617-555-0148')).toBe('Denise Ruiz');
    expect(phoneInText('call me back please. Denise Ruiz, 617-555-0148')).toBe('617-555-0148');
  });

  it('when the words before the number are not a name, then there is none', () => {
    expect(nameBesideNumber('please call me back at 617-555-0148')).toBeUndefined();
    expect(phoneInText('no number here')).toBeNull();
  });
});
