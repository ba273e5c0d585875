import type { App } from '../../src/app';
import { activity, post, startApp, type Replies } from '../helpers/app';
import { REFERENCE } from '../helpers/visitor';

/**
 * Spanish-speaking visitors, end to end over /api/messages (expectReplies, as channels
 * send them), on web chat and SMS: questions, a callback request and a crisis, each said
 * in Spanish from the first message on, with Spanish buttons, and the request marked
 * Spanish for the staff who call back.
 */

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ADMISSIONS = '(877) 920-6583';
/** The fallback, in Spanish: never the answer to something said rather than asked. */
const NOT_UNDERSTOOD = /no tengo información sobre eso|no entendí/i;
/** Words of an English sentence: none may reach a Spanish-speaking visitor. */
const ENGLISH = /\b(?:the|you|your|our|what|please|would|with|and|is|are|we|I'm|I've)\b/;

let app: App;
let url = '';
beforeAll(async () => {
  ({ app, url } = await startApp());
});
afterAll(async () => {
  await app?.close();
});

let seq = 0;

class Visitor {
  readonly conversation = `es-${++seq}-${Date.now()}`;
  readonly from: string;
  constructor(readonly channel: 'webchat' | 'sms') {
    this.from = channel === 'sms' ? `+1617555${String(2000 + seq).slice(-4)}` : `visitor-${this.conversation}`;
  }

  /** What the visitor reads: texts, card texts and button titles. */
  async say(text: string): Promise<{ text: string; buttons: string[] }> {
    const res: Replies = await post(url, activity({ text, channelId: this.channel, conversation: { id: this.conversation }, from: { id: this.from, name: 'Visitante' } }));
    expect(res.status).toBe(200);
    const messages = res.activities.filter((a: Raw) => a.type === 'message');
    const buttons = messages.flatMap((m: Raw) => [
      ...(m.suggestedActions?.actions ?? []).map((x: Raw) => String(x.title)),
      ...(m.attachments ?? []).flatMap((att: Raw) => (att.content?.buttons ?? []).map((b: Raw) => String(b.title))),
    ]);
    return { text: messages.map((m: Raw) => String(m.text ?? '')).join('\n'), buttons };
  }
}

/** A reply a Spanish speaker reads whole: no English sentence, no English button. */
function expectSpanish(reply: { text: string; buttons: string[] }): void {
  expect(reply.text).not.toMatch(ENGLISH);
  for (const b of reply.buttons) expect(b).not.toMatch(ENGLISH);
}

describe.each(['webchat', 'sms'] as const)('Spanish on %s', (channel) => {
  it('when a visitor asks questions in Spanish, then each is answered in Spanish from the guide, and a gap honestly with the admissions line', async () => {
    const v = new Visitor(channel);
    const iop = await v.say('hola, ¿qué es un programa intensivo ambulatorio?');
    expect(iop.text).toMatch(/Programa Intensivo Ambulatorio/);
    expectSpanish(iop);
    const cost = await v.say('cuanto cuesta el programa?');
    expect(cost.text).toContain(ADMISSIONS);
    expect(cost.text).toMatch(/no tengo información/i);
    expectSpanish(cost);
    const weather = await v.say('¿va a llover mañana en Boston?');
    expect(weather.text).not.toMatch(/Programa Intensivo/);
    expectSpanish(weather);
  });

  it('when a visitor asks for a person in Spanish, then the callback is taken in Spanish and the request is marked Spanish for staff', async () => {
    const v = new Visitor(channel);
    const offer = await v.say('¿hay alguien que hable español? quiero hablar con una persona');
    expect(offer.text).toContain(ADMISSIONS);
    expectSpanish(offer);
    const name = await v.say('que me llamen por favor');
    expect(name.text).toMatch(/nombre/i);
    expectSpanish(name);
    const phone = await v.say('Rosa');
    expect(phone.text).toMatch(/Rosa/);
    expectSpanish(phone);
    const afterPhone = await v.say(channel === 'sms' ? 'sí, a este número' : '617-555-0142');
    expectSpanish(afterPhone);
    const consent = await v.say('por la tarde');
    expectSpanish(consent);
    const done = await v.say('sí');
    expect(done.text).toMatch(REFERENCE);
    expectSpanish(done);
    const [request] = (await app.handoffs.store.listActive()).filter((r) => r.conversationId === v.conversation);
    expect(request).toMatchObject({ name: 'Rosa' });
    expect(request!.contactPreferences ?? []).toContain('spanish');
  });

  it('when a visitor in a Spanish conversation writes of wanting to die, then the crisis guidance and its buttons come in Spanish, and "estoy bien" is heard', async () => {
    const v = new Visitor(channel);
    expectSpanish(await v.say('buenas noches, mi esposo toma mucho'));
    const crisis = await v.say('ya no puedo más, me quiero morir');
    expect(crisis.text).toMatch(/988/);
    expect(crisis.text).toMatch(/español/);
    expectSpanish(crisis);
    const safe = await v.say('estoy bien, gracias');
    expectSpanish(safe);
  });

  it('when a worried Spanish-speaking parent writes ordinary worry, then no crisis block is raised; a wish to die still is', async () => {
    const v = new Visitor(channel);
    for (const text of ['ya no sé qué hacer con mi hijo, toma todos los días', 'no vive conmigo, vive con su papá', '¿me pueden llamar en la noche?']) {
      const reply = await v.say(text);
      expect(reply.text).not.toMatch(/988/);
      expectSpanish(reply);
    }
    expect((await new Visitor(channel).say('ya no aguanto más, me quiero morir')).text).toMatch(/988/);
  });

  it('when a visitor tells a feeling in Spanish, then it is heard, never "no tengo información"', async () => {
    for (const said of ['estoy agotada', 'tengo miedo', 'me da vergüenza', 'ya no sé qué hacer', 'no sé ni por qué escribo aquí', '¿fue mi culpa?', 'me siento un poco mejor de hablar']) {
      const v = new Visitor(channel);
      await v.say('hola, ¿qué es el IOP?');
      const reply = await v.say(said);
      expect(`${said}: ${reply.text}`).not.toMatch(NOT_UNDERSTOOD);
      expectSpanish(reply);
    }
  });

  it('when a visitor denies the risk in Spanish after a crisis reply, then the check-in ends instead of asking again', async () => {
    const v = new Visitor(channel);
    expect((await v.say('mi hijo dice que se quiere matar')).text).toMatch(/988/);
    const denied = await v.say('no se quiere matar, me refería a que está muy deprimido por las drogas');
    expect(denied.text).not.toMatch(/¿Está (?:usted )?a salvo|¿Están a salvo/);
    expectSpanish(denied);
    // A "no" cut off by a comma is no denial: the risk is read again.
    const other = new Visitor(channel);
    expect((await other.say('mi hijo dice que se quiere matar')).text).toMatch(/988/);
    expect((await other.say('no, se quiere matar')).text).toMatch(/911|988/);
  });

  it('when a visitor says goodbye or thanks in Spanish, then it is answered as such, never "no tengo información"', async () => {
    for (const said of ['voy a pensarlo, gracias', 'gracias compa, buenas noches', 'ok gracias bye', 'perdón por molestar']) {
      const v = new Visitor(channel);
      await v.say('¿qué es el IOP?');
      const reply = await v.say(said);
      expect(reply.text).not.toMatch(NOT_UNDERSTOOD);
      expectSpanish(reply);
    }
  });

  it('when a visitor asks for the questions in their own words, then the screening starts', async () => {
    const v = new Visitor(channel);
    const reply = await v.say('quiero saber qué programa necesita mi hijo');
    expect(reply.text).not.toMatch(NOT_UNDERSTOOD);
    expectSpanish(reply);
    const again = new Visitor(channel);
    expect((await again.say('ahora sí hágame las preguntas')).text).toEqual(reply.text);
  });

  it('when the name step is answered "ya te dije Jorge", then the name is Jorge', async () => {
    const v = new Visitor(channel);
    await v.say('quiero hablar con una persona');
    await v.say('que me llamen por favor');
    const phone = await v.say('ya te dije Jorge');
    expect(phone.text).toMatch(/\bJorge\b/);
    expect(phone.text).not.toMatch(/Te Dije/);
  });

  it('when a visitor switches with "English please", then the conversation goes on in English, and back with "en español"', async () => {
    const v = new Visitor(channel);
    expectSpanish(await v.say('hola, necesito ayuda para mi hijo'));
    const english = await v.say('English please');
    expect(english.text).toMatch(/continue in English/);
    expect((await v.say('what is iop')).text).toMatch(/Intensive Outpatient Program/);
    const spanish = await v.say('en español por favor');
    expect(spanish.text).toMatch(/seguimos en español/);
    expect((await v.say('what is iop')).text).toMatch(/Programa Intensivo Ambulatorio/);
  });

  it('when a Spanish-speaking visitor picks a button or its number, then the answer is still in Spanish', async () => {
    const v = new Visitor(channel);
    const menu = await v.say('hola, necesito información para mi hijo');
    expect(menu.buttons.length > 0 || /\n1\. /.test(menu.text)).toBe(true);
    // The bot's own words come back as the message (a button's value, or the number of a choice on SMS).
    const picked = await v.say(channel === 'sms' ? '1' : 'What is IOP?');
    expectSpanish(picked);
    expect(picked.text).not.toMatch(NOT_UNDERSTOOD);
  });

  it('when a visitor says they do not read English, in their own words, then the conversation is in Spanish', async () => {
    const v = new Visitor(channel);
    await v.say('what programs do you have');
    expect((await v.say('NO SE INGLES mijo')).text).toMatch(/español/);
    expectSpanish(await v.say('What is IOP?'));
  });

  it('when a visitor speaks of their own plan after naming someone else, then the reply is to them, not about "la persona"', async () => {
    const v = new Visitor(channel);
    const reply = await v.say('las pastillas de mi mamá están en la mesa y me las voy a tomar todas');
    expect(reply.text).toMatch(/911|988/);
    expect(reply.text).not.toMatch(/la persona que le preocupa|se preocupan por otra persona/);
  });

  it('when a Spanish-speaking visitor asks for a person after a crisis reply, then the offer (with its danger line) is in Spanish, and "está bien ahora" ends the check-in', async () => {
    const v = new Visitor(channel);
    await v.say('mi esposo toma mucho y anoche dijo que se quiere morir');
    expect((await v.say('esta bien ahora')).text).not.toMatch(/¿Está a salvo/);
    const offer = await v.say('quiero hablar con alguien');
    expect(offer.text).toMatch(/911/);
    expectSpanish(offer);
  });

  it.each([['¿alguien ahí habla español?'], ['mi mamá no habla inglés, ¿los grupos son en español o hay intérprete?']])(
    'when a visitor asks whether anyone speaks Spanish ("%s"), then the honest "I don\'t know" with the admissions line and the callback, in Spanish',
    async (asked) => {
      const reply = await new Visitor(channel).say(asked);
      expect(reply.text).toMatch(/no tengo información sobre qué idiomas/);
      expect(reply.text).toMatch(/920-6583/);
      expectSpanish(reply);
    },
  );

  it('when a visitor says in Spanish that nobody wants to die, then no crisis reply', async () => {
    const v = new Visitor(channel);
    expect((await v.say('NADIE se quiere matar, solo quiero saber si tienen terapia familiar')).text).not.toMatch(/988/);
  });
});
