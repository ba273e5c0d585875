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

  it.each([
    ['my brother drinks every night and has anxiety can you treat both at once', 'my brother drinks every night and has anxiety', 'can you treat both at once'],
    ['my wife keeps drinking can she still do iop', 'my wife keeps drinking', 'can she still do iop'],
    ['our house has people using in it is that going to hurt his chances', 'our house has people using in it', 'is that going to hurt his chances'],
    ['he takes pills every day is that dangerous', 'he takes pills every day', 'is that dangerous'],
  ])('when a texted question starts mid-sentence with no "?" ("%s"), then it is a part of its own, a question', (text, story, question) => {
    expect(segment(text).map((p) => [p.text, p.interrogative])).toEqual([
      [story, false],
      [question, true],
    ]);
  });

  it.each([
    'my husband says he will do it if i go with him',
    'i dont know if i can do this anymore',
    'the problem is he drinks every day',
    'need detox asap for opiates can u help',
    'she told me what she is doing at night',
  ])('when a verb before a pronoun only continues the sentence or would leave a bare command ("%s"), then the sentence stays whole', (text) => {
    expect(segment(text)).toHaveLength(1);
  });

  it.each([
    ['if she uses again will they let her stay', true],
    ['once he finishes detox can he start the same week', true],
    ['if i stop i get the shakes', false],
    ['when he drinks he gets mean', false],
  ])('when a condition opens the message ("%s"), then it is a question only if a verb comes before its subject after it', (text, question) => {
    expect(segment(text).map((p) => p.interrogative)).toEqual([question]);
  });

  it('when a part complains about the bot\'s replies as a question ("why do you keep giving me the suicide line??"), then it is a denial, not a question to look up', () => {
    expect(acts('why do you keep giving me the suicide line??')).toEqual(['deny:said']);
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

describe('Spanish short replies (knowledge/phrases.yaml)', () => {
  const ph = phrases();
  const acts = (text: string) => understand(text, ph).acts.map((a) => ('value' in a ? `${a.act}:${a.value}` : 'command' in a ? `${a.act}:${a.command}` : 'what' in a ? `${a.act}:${a.what}` : a.act));

  it.each([
    ['si', 'yes'],
    ['Sí', 'yes'],
    ['sí, claro', 'yes'],
    ['claro que sí', 'yes'],
    ['por supuesto', 'yes'],
    ['dale', 'yes'],
    ['ok dale', 'yes'],
    ['está bien', 'yes'],
    ['de acuerdo', 'yes'],
    ['listo', 'yes'],
    ['no', 'no'],
    ['no gracias', 'no'],
    ['nop', 'no'],
    ['para nada', 'no'],
    ['ahora no', 'no'],
    ['todavía no', 'no'],
    ['claro que no', 'no'],
    ['no sé', 'unsure'],
    ['No estoy segura', 'unsure'],
    ['no estoy seguro', 'unsure'],
    ['tal vez', 'unsure'],
    ['quizás', 'unsure'],
    ['puede ser', 'unsure'],
    ['más o menos', 'unsure'],
    ['prefiero no decir', 'refuse'],
    ['prefiero no contestar', 'refuse'],
    ['no quiero contestar eso', 'refuse'],
    ['¿por qué preguntas?', 'why'],
    ['¿para qué quieres saber eso?', 'why'],
    ['¿por qué necesitan saber mi edad?', 'why'],
    ['¿por qué?', 'why'],
    ['atrás', 'back'],
    ['regresar', 'back'],
    ['volver', 'back'],
    ['quiero cambiar mi respuesta', 'back'],
  ])('when a visitor answers %j, then it is read as %s', (text, value) => {
    expect(acts(text)).toContain(`answer:${value}`);
  });

  it('when "no sé" opens more ("no sé si mi hijo necesita IOP"), then it is not a bare "I don\'t know": the rest is said too', () => {
    const read = acts('no sé si mi hijo necesita IOP');
    expect(read).not.toContain('answer:unsure');
    expect(read.some((a) => a === 'statement' || a === 'question')).toBe(true);
  });

  it('when "why" asks about treatment ("¿por qué necesita mi hijo desintoxicación?"), then it is a question, not "why do you ask"', () => {
    expect(acts('¿por qué necesita mi hijo desintoxicación?')).toEqual(['question']);
    expect(acts('¿para qué sirve el IOP?')).toEqual(['question']);
  });

  it('when "sí" or "claro" opens a refusal or a story, then it is not a whole yes', () => {
    expect(acts('claro que no')).not.toContain('answer:yes');
    expect(readOffer(understand('no quiero contestar', ph), { kind: 'offer', offer: 'screening' })).not.toBe('accepted');
  });

  it('when an offer is open, then "dale" and "sí, claro" accept it and "no gracias" and "ahora no" decline it', () => {
    const offer = { kind: 'offer' as const, offer: 'screening' as const };
    expect(readOffer(understand('dale', ph), offer)).toBe('accepted');
    expect(readOffer(understand('sí, claro', ph), offer)).toBe('accepted');
    expect(readOffer(understand('no gracias', ph), offer)).toBe('declined');
    expect(readOffer(understand('ahora no', ph), offer)).toBe('declined');
  });

  it.each([
    ['estoy bien', 'safe'],
    ['sí, estoy a salvo', 'safe'],
    ['estoy segura', 'safe'],
    ['él ya está bien', 'safe'],
    ['jaja era broma', 'safe'],
    ['no estoy bien', 'unsafe'],
    ['no estoy a salvo', 'unsafe'],
    ['estoy en peligro', 'unsafe'],
    ['no estoy seguro', 'unsafe'],
    ['necesito ayuda ya', 'unsafe'],
    ['no es broma', 'other'],
    ['¿qué es el IOP?', 'other'],
  ])('when "are you safe right now?" is answered %j, then it is %s', (text, reading) => {
    expect(readCheckIn(understand(text, ph), ph)).toBe(reading);
  });

  it.each([
    ['vale', 'ack'],
    ['entendido', 'ack'],
    ['ok', 'ack'],
    ['gracias', 'thanks'],
    ['muchas gracias', 'thanks'],
    ['mil gracias', 'thanks'],
    ['gracias por tu ayuda', 'thanks'],
    ['adiós', 'bye'],
    ['chao', 'bye'],
    ['hasta luego', 'bye'],
    ['gracias, buenas noches', 'bye'],
    ['ahora no estoy listo', 'notReady'],
    ['todavía no estoy lista', 'notReady'],
    ['lo voy a pensar', 'notReady'],
    ['hola', 'greeting'],
    ['buenas', 'greeting'],
    ['buenos días', 'greeting'],
    ['buenas tardes', 'greeting'],
    ['buenas noches', 'greeting'],
  ])('when a visitor writes %j, then it is small talk: %s', (text, what) => {
    expect(understand(text, ph).acts).toContainEqual(expect.objectContaining({ act: 'smalltalk', what }));
  });

  it.each(['gracias a dios mi hijo está vivo', 'buenas noticias, ya tiene seguro', 'hola, mi hijo toma todos los días'])('when %j says more than small talk, then the rest is read too', (text) => {
    expect(understand(text, ph).acts.some((a) => a.act === 'statement' || a.act === 'question' || a.act === 'disclose')).toBe(true);
  });
});

describe('Spanish messages split into their questions', () => {
  it.each([
    ['¿Qué es IOP y cuánto cuesta?', ['¿Qué es IOP', 'cuánto cuesta?']],
    ['tienen sesiones de noche y aceptan masshealth?', ['tienen sesiones de noche', 'aceptan masshealth?']],
  ])('when "%s" is read, then each question is its own part', (text, parts) => {
    expect(segment(text).map((p) => p.text)).toEqual(parts);
    expect(segment(text).every((p) => p.interrogative)).toBe(true);
  });

  it.each(['que me llamen por favor', 'mi hijo y yo vivimos solos', 'dan is my son'])('when "%s" is read, then it is no question', (text) => {
    expect(segment(text).some((p) => p.interrogative)).toBe(false);
  });
});

describe('Spanish feelings, denials and courtesies (knowledge/phrases.yaml)', () => {
  const ph = phrases();
  const acts = (text: string) => understand(text, ph).acts.map((a) => ('value' in a ? `${a.act}:${a.value}` : 'command' in a ? `${a.act}:${a.command}` : 'what' in a ? `${a.act}:${a.what}` : a.act));

  it.each([
    '¿fue mi culpa?',
    'yo también estoy mal con todo esto',
    'no sé ni por qué escribo aquí',
    'estoy agotada',
    'Estoy tan cansado de todo',
    'tengo miedo',
    'tengo mucho miedo de que recaiga',
    'me da vergüenza',
    'ya no sé qué hacer',
    'estoy desesperada',
    'me siento culpable',
    'me siento como una mala madre',
    'nadie me entiende',
    'ya no puedo más con esto',
    'hemos intentado de todo',
  ])('when a visitor tells a feeling in Spanish (%j), then it is read as a feeling', (text) => {
    expect(acts(text)).toContain('feeling');
  });

  it.each(['no estoy preocupada', 'no tengo miedo', 'no me da vergüenza', 'me quiero morir', 'quiero hacerme daño', 'estoy bien', '¿qué es el IOP?', 'no sé qué programa'])(
    'when %j is said, then it is no feeling told (a "no" before it, a risk the safety net reads, or no feeling at all)',
    (text) => {
      expect(acts(text)).not.toContain('feeling');
    },
  );

  it.each([
    ['no me quiero morir', 'risk'],
    ['No me voy a matar', 'risk'],
    ['no se quiere matar', 'risk'],
    ['nadie está en peligro', 'risk'],
    ['no es una emergencia', 'risk'],
    ['no quiero hacerme daño', 'risk'],
    ['no estoy pensando en eso', 'risk'],
    ['no lo dije en ese sentido', 'risk'],
    ['me refería a las preguntas', 'risk'],
    ['no, no me quiero morir', 'risk'],
    ['eso no es lo que pregunté', 'said'],
    ['no le pregunté eso', 'said'],
    ['no entendió', 'said'],
    ['no pedí una llamada', 'action'],
    ['yo no pedí eso', 'action'],
    ['nunca quise las preguntas', 'action'],
  ])('when a visitor denies in Spanish (%j), then it is a denial of the %s', (text, what) => {
    expect(acts(text)).toContain(`deny:${what}`);
  });

  it.each(['me quiero morir', 'no, me quiero morir', 'no. me voy a matar', 'no, es una emergencia', 'ya no quiero vivir', 'mi hijo no entiende nada', 'no tengo seguro', 'pedí una llamada ayer'])(
    'when %j is said, then it is no denial (a "no" cut off by a comma answers on its own)',
    (text) => {
      expect(acts(text).some((a) => a.startsWith('deny:'))).toBe(false);
    },
  );

  it('when "are you safe right now?" is answered with a Spanish denial, then it is safe; a bare wish to die is not', () => {
    expect(readCheckIn(understand('no me quiero morir', ph), ph)).toBe('safe');
    expect(readCheckIn(understand('nadie está en peligro, era sobre las preguntas', ph), ph)).toBe('safe');
    expect(readCheckIn(understand('no, me quiero morir', ph), ph)).not.toBe('safe');
    expect(readCheckIn(understand('me quiero morir', ph), ph)).not.toBe('safe');
  });

  it.each([
    ['voy a pensarlo, gracias', 'notReady'],
    ['gracias compa, buenas noches', 'bye'],
    ['ok gracias bye', 'bye'],
    ['ya le dije que no. bye', 'bye'],
    ['muchas gracias señorita', 'thanks'],
    ['perdón por molestar', 'ack'],
    ['disculpe las molestias', 'ack'],
    ['buenas tardes, disculpe la molestia', 'greeting'],
  ])('when a visitor closes or is courteous in Spanish (%j), then it is small talk: %s', (text, what) => {
    expect(understand(text, ph).acts).toContainEqual(expect.objectContaining({ act: 'smalltalk', what }));
  });

  it('when "ya le dije que no" answers an offer, then it declines it', () => {
    expect(readOffer(understand('ya le dije que no', ph), { kind: 'offer', offer: 'screening' })).toBe('declined');
  });

  it.each(['no sé qué programa', 'gracias a dios está vivo', 'perdón, ¿qué es el IOP?', 'buenas noches, mi hijo bebe mucho'])('when %j says more than a courtesy, then it is not small talk alone', (text) => {
    const read = understand(text, ph).acts;
    expect(read.some((a) => a.act === 'statement' || a.act === 'question' || a.act === 'disclose')).toBe(true);
  });
});
