import { knowledgeDir } from '../../../src/core/knowledge/load';
import { loadCatalogue } from '../../../src/core/i18n/mirror';
import { SafetyFollowUps } from '../../../src/core/safety/followUps';
import { basicNormalize } from '../../../src/core/text/normalize';

/**
 * Spanish questions about crisis help (knowledge/safety/follow-ups.yaml `resources`, Spanish
 * phrases) and their Spanish answers (knowledge/es/safety/follow-ups.yaml).
 */
const followUps = SafetyFollowUps.load();
const answered = (text: string) => followUps.answers(basicNormalize(text)).map((r) => r.id);

describe('answers about crisis help, asked in Spanish', () => {
  it.each([
    ['¿cómo se textea al 988?', 'text-988'],
    ['¿Puedo mandar un mensaje al 988?', 'text-988'],
    ['se puede escribir al 988 en vez de llamar?', 'text-988'],
    ['el 988 acepta mensajes de texto?', 'text-988'],
    ['puedo chatear con el 988', 'text-988'],
    ['¿se le puede mandar texto al 988?', 'text-988'],
    ['¿Hay forma de escribirle al 988 en vez de llamar?', 'text-988'],
    ['el 988 es solo por teléfono?', 'text-988'],
    ['¿el 988 atiende en español?', 'text-988'],
    ['¿el 988 es también para familias?', '988-for-someone-else'],
    ['¿puedo llamar al 988 por mi hijo?', '988-for-someone-else'],
    ['el 988 sirve para alguien más o solo para uno?', '988-for-someone-else'],
    ['si es mi esposo el que está mal, puedo llamar al 988?', '988-for-someone-else'],
    ['¿puedo llamar al 988 si el problema es de mi hermano?', '988-for-someone-else'],
    ['¿puedo usar el 988 para mi hijo?', '988-for-someone-else'],
    ['el 988 es solo para el que se quiere suicidar?', '988-for-someone-else'],
    ['¿qué pasa cuando llamo al 988?', '988-what-happens'],
    ['¿el 988 manda a la policía?', '988-what-happens'],
    ['¿qué hacen en el 988?', '988-what-happens'],
    ['llamo al 988 ahora o espero?', '988-what-happens'],
    ['¿quién contesta en el 988?', '988-what-happens'],
    ['¿el 988 llama a la policía?', '988-what-happens'],
    ['¿me van a mandar la patrulla si llamo al 988?', '988-what-happens'],
    ['¿tengo que esperar a que se ponga peor para llamar al 988?', '988-what-happens'],
    ['¿dónde consigo narcan?', 'naloxone'],
    ['¿cómo se usa la naloxona?', 'naloxone'],
    ['¿el narcan se vende sin receta en la farmacia?', 'naloxone'],
    ['¿debo tener narcan en la casa?', 'naloxone'],
    ['¿dónde puedo comprar naloxona?', 'naloxone'],
    ['¿necesito receta para el narcan?', 'naloxone'],
    ['¿es bueno tener narcan en la casa?', 'naloxone'],
    ['¿debo llamar al 911?', 'call-911-or-not'],
    ['¿llamo al 911 o espero?', 'call-911-or-not'],
    ['¿lo llevo al hospital o espero?', 'call-911-or-not'],
    ['¿esto es una emergencia?', 'call-911-or-not'],
    ['¿lo llevo a emergencias o espero?', 'call-911-or-not'],
    ['no sé si llamar al 911', 'call-911-or-not'],
    ['¿hay que llamar a una ambulancia?', 'call-911-or-not'],
    ['¿es peligroso dejar de tomar de golpe?', 'stopping-alone'],
    ['¿lo puedo dejar de tomar yo sola en casa?', 'stopping-alone'],
    ['si llamo a la ambulancia, ¿la policía lo va a detener?', 'good-samaritan'],
    ['¿hay algún número que contesten a esta hora?', 'line-any-hour'],
    ['estoy embarazada, ¿puedo dejar las pastillas?', 'stopping-alone'],
    ['quiero dejar el xanax de golpe', 'stopping-alone'],
    ['mi esposo quiere dejar de tomar por su cuenta', 'stopping-alone'],
    ['tomo xanax que compro en la calle, como 4 al dia, y ya casi no me queda. que me va a pasar si lo dejo de golpe?', 'stopping-alone'],
    ['hola, mi esposo toma como 15 cervezas diarias y dice que va a dejar de tomar de golpe mañana. es peligroso?', 'stopping-alone'],
    ['Hola, mi mamá toma clonazepam hace años y el doctor se lo quitó de un día para otro. Está muy ansiosa', 'stopping-alone'],
    ['¿son peligrosos los temblores?', 'stopping-alone'],
    ['¿puedo desintoxicarme en casa?', 'stopping-alone'],
    ['¿se puede dejar el alcohol en casa?', 'stopping-alone'],
    ['¿es seguro dejar el rivotril así nomás?', 'stopping-alone'],
    ['¿es más peligroso usar después de estar limpio?', 'opioid-tolerance'],
    ['mi hijo perdió la tolerancia, ¿es peligroso?', 'opioid-tolerance'],
    ['salió de la cárcel, ¿tiene más riesgo de sobredosis?', 'opioid-tolerance'],
    ['quiero dejar la heroína de golpe', 'opioid-tolerance'],
    ['puedo usar lo mismo después de estar limpio un mes?', 'opioid-tolerance'],
    ['mi hijo estuvo 30 días en detox, ¿es peligroso si vuelve a usar?', 'opioid-tolerance'],
    ['¿puede tener una sobredosis después de estar limpio?', 'opioid-tolerance'],
    ['¿la tolerancia baja cuando uno deja de usar?', 'opioid-tolerance'],
    ['¿es peligroso mezclar xanax con alcohol?', 'mixing'],
    ['puedo tomar clonazepam con cerveza?', 'mixing'],
    ['mi esposo toma y luego se toma sus pastillas para dormir', 'mixing'],
    ['¿puedo tomarme una cerveza y un rivotril?', 'mixing'],
    ['que pasa si mezclo alcohol con pastillas', 'mixing'],
    ['tomo percocet, puedo tomar unas cervezas?', 'mixing'],
    ['una cerveza con mi oxy es peligroso?', 'mixing'],
    ['se puede tomar alcohol si estoy tomando clonazepam', 'mixing'],
    ['¿es peligroso combinar alcohol y pastillas para dormir?', 'mixing'],
    ['¿qué pasa si tomo rivotril y cerveza?', 'mixing'],
    ['mezclé tragos con percocet', 'mixing'],
  ])('when a Spanish speaker asks %j, then the %s answer is found', (text, id) => {
    expect(answered(text)).toContain(id);
  });

  it.each([
    'mi hijo toma con sus amigos los fines de semana',
    'quiero hablar con alguien',
    'tiene problemas con el alcohol y las pastillas, ¿lo pueden ayudar?',
    'mi mamá tiene que tomar sus pastillas con la comida',
    'estoy tomando pastillas para la depresión, ¿puedo entrar al programa?',
    'le dieron narcan en el hospital y ahora está bien',
    'dejé de tomar hace dos años y estoy muy bien',
    'mi hijo salió de rehab la semana pasada',
    'mi esposo me dejó de golpe y estoy muy triste',
    'no es una emergencia pero me preocupa mucho',
    'llamé al 988 ayer y me ayudaron',
    '¿mi familia puede participar en el tratamiento?',
    '¿me pueden mandar un mensaje de texto?',
    'el fin de semana tomé unas cervezas con mis amigos',
    '¿dan narcan?',
    '¿puede ayudarme con el alcohol y las pastillas?',
    '¿el detox solo es para alcohol?',
  ])('when an ordinary Spanish message (%j) is sent, then no safety answer is given', (text) => {
    expect(answered(text)).toEqual([]);
  });

  it('when a resource answer is given in a Spanish conversation, then the catalogue has its Spanish, with the same numbers', () => {
    const catalogue = loadCatalogue(knowledgeDir());
    const digits = (s: string) => (s.match(/\d+/g) ?? []).sort().join(',');
    expect(followUps.file.resources.length).toBeGreaterThan(0);
    for (const r of followUps.file.resources) {
      const spanish = catalogue.lookup(r.answer.trim());
      expect({ id: r.id, translated: spanish !== undefined }).toEqual({ id: r.id, translated: true });
      expect(digits(spanish ?? '')).toEqual(digits(r.answer));
    }
  });
});
