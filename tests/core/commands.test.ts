import { detectCommand } from '../../src/core/commands';
import { phrases } from '../../src/core/understanding/phrases';
import { basicNormalize } from '../../src/core/text/normalize';

describe('detectCommand', () => {
  it.each([
    ['help', 'help'],
    ['HELP!', 'help'],
    ['what can you do?', 'help'],
    ['start over', 'start-over'],
    ['can we start over please', 'start-over'],
    ['restart', 'start-over'],
    ['cancel', 'cancel'],
    ['never mind', 'cancel'],
    ['I want to talk to a real person', 'talk-to-person'],
    ['can i speak with someone from admissions', 'talk-to-person'],
    ['human please', 'talk-to-person'],
    ['call me', 'talk-to-person'],
    ['None of these', 'none-of-these'],
    ['take the quiz', 'start-screening'],
    ['what program should my daughter do', 'start-screening'],
    ['what kind of program do i need?', 'start-screening'],
    ['can you tell me what program i need', 'start-screening'],
    ['which program would be best for me', 'start-screening'],
  ])('when a visitor writes %j, then the command is %s', (text, command) => {
    expect(detectCommand(text)).toBe(command);
  });

  it.each(['how many days a week is iop', 'can my family help me', 'does insurance help pay', 'what is php', 'what program do you have for teens', 'what is the program like', '', '🙂'])(
    'when a visitor asks %j, then it is not a command',
    (text) => {
      expect(detectCommand(text)).toBeNull();
    },
  );
});

describe('detectCommand in Spanish', () => {
  it.each([
    // The words the bot tells Spanish visitors to type, as typed and without accents.
    ['evaluación', 'start-screening'],
    ['continuar evaluación', 'start-screening'],
    ['hablar con una persona', 'talk-to-person'],
    ['cancelar', 'cancel'],
    ['empezar de nuevo', 'start-over'],
    ['ayuda', 'help'],
    ['Olvídame', 'forget-me'],
    ['olvidame', 'forget-me'],
    ['EVALUACION', 'start-screening'],
    // forget-me
    ['por favor borre mis datos', 'forget-me'],
    ['borra esta conversación, no quiero que quede nada', 'forget-me'],
    ['elimina mi información', 'forget-me'],
    // cancel-callback
    ['cancela la llamada', 'cancel-callback'],
    ['ya no necesito que me llamen', 'cancel-callback'],
    // help
    ['menú', 'help'],
    ['¿qué puedes hacer?', 'help'],
    ['opciones', 'help'],
    // start-over
    ['empezar otra vez', 'start-over'],
    ['reiniciar', 'start-over'],
    ['quiero empezar desde el principio', 'start-over'],
    // cancel
    ['cancela', 'cancel'],
    ['olvídelo', 'cancel'],
    ['basta', 'cancel'],
    ['para', 'cancel'],
    ['¡Para ya!', 'cancel'],
    ['no más preguntas', 'cancel'],
    // talk-to-person
    ['quiero hablar con alguien', 'talk-to-person'],
    ['una persona real por favor', 'talk-to-person'],
    ['¿hay alguien que hable español?', 'talk-to-person'],
    ['llámenme', 'talk-to-person'],
    ['quiero que me llamen mañana', 'talk-to-person'],
    // start-screening
    ['empezar evaluación', 'start-screening'],
    ['hacer la evaluación', 'start-screening'],
    ['¿qué programa necesito?', 'start-screening'],
    ['¿cuál programa es para mi hijo?', 'start-screening'],
    ['que tipo de tratamiento necesita mi hija', 'start-screening'],
    // The visitor's own words for starting or going back to it, and the bot's button.
    ['ahora sí hágame las preguntas', 'start-screening'],
    ['sí quiero hacer las preguntas', 'start-screening'],
    ['las preguntas para ver qué programa', 'start-screening'],
    ['hágame la evaluación', 'start-screening'],
    ['¿me puede hacer la evaluación?', 'start-screening'],
    ['quiero saber qué programa necesita mi hijo', 'start-screening'],
    ['Encontrar mi programa', 'start-screening'],
    ['bueno, sigamos con las preguntas', 'start-screening'],
    // none-of-these
    ['ninguna', 'none-of-these'],
    ['ninguno de estos', 'none-of-these'],
    ['otra cosa', 'none-of-these'],
  ])('when a visitor writes %j, then the command is %s', (text, command) => {
    expect(detectCommand(text)).toBe(command);
  });

  it.each([
    'para mi hijo',
    'para que sirve el iop',
    'necesito ayuda con mi seguro',
    'ayuda para mi esposo',
    'olvídate de mi hijo, pregunto por mí',
    'no quiero cancelar',
    'ya no',
    'no importa',
    'evaluación médica de mi hijo',
    '¿qué programas tienen para adolescentes?',
    '¿tienen grupos en español?',
    'hablan español los consejeros',
    'hablé con alguien ayer',
    'otro día',
    '¿terminamos las preguntas?',
    'tengo unas preguntas sobre el programa',
    'las preguntas son difíciles',
    'no sé qué programa',
  ])('when a visitor writes %j, then it is not a command', (text) => {
    expect(detectCommand(text)).toBeNull();
  });
});

describe('the language requests', () => {
  it('when phrases.yaml is loaded, then its commands include language-es and language-en, tried after every other command', () => {
    const kinds = phrases().commands.map(([c]) => c);
    expect(kinds.slice(-2)).toEqual(['language-es', 'language-en']);
  });

  it.each([
    ['en español', 'language-es'],
    ['Español, por favor', 'language-es'],
    ['¿Hablas español?', 'language-es'],
    ['¿habla español?', 'language-es'],
    ['puedes hablar en español', 'language-es'],
    ['spanish please', 'language-es'],
    ['in Spanish', 'language-es'],
    ['no hablo inglés', 'language-es'],
    ['English please', 'language-en'],
    ['in english', 'language-en'],
    ['en inglés', 'language-en'],
    ['can we speak english', 'language-en'],
    ['speak English', 'language-en'],
  ])('when a visitor writes %j, then the command is %s', (text, command) => {
    expect(detectCommand(text)).toBe(command);
  });

  it.each([
    ['¿hay alguien que hable español?', 'talk-to-person'],
    ['necesito a alguien en español', 'talk-to-person'],
    ['¿hablan español?', 'language-es'],
  ])('when a visitor asks about Spanish in a message of its own (%j), then it is a person or the language asked for', (text, command) => {
    expect(detectCommand(text)).toBe(command);
  });

  it.each(['hola, ¿hablan español? mi hijo necesita ayuda', 'necesito información. ¿hay alguien que hable español?', 'hablan español? porque mi mamá no habla inglés', 'necesito a alguien en español para mi papá'])(
    'when a visitor asks whether anyone speaks Spanish inside a longer message (%j), then it does not switch the language as a command',
    (text) => {
      const ph = phrases();
      const n = basicNormalize(text);
      expect(ph.onlyLanguageAsked(n)).toBe(false);
      expect(ph.languageAsked(n)).toBeUndefined();
    },
  );

  it.each(['do you have groups in spanish?', 'is there a spanish speaking counselor', 'tienen consejeros que hablen español', 'my mom only speaks spanish, can she come?', 'my english is not good'])(
    'when a visitor asks about Spanish (%j), then it is not a language request',
    (text) => {
      expect(detectCommand(text)).toBeNull();
    },
  );
});
