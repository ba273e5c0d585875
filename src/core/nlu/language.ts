import { words as spanishStopwords } from 'natural/lib/natural/util/stopwords_es';
import { words as englishStopwords } from 'natural/lib/natural/util/stopwords';
import { foldCase } from '../text/normalize';

export type Language = 'en' | 'es';

// natural's English list also holds every single letter; "o" and "y" are Spanish ("or", "and") far more
// often than English in a chat box, so only "a" and "i" count as English among single letters.
const ENGLISH = new Set<string>(englishStopwords.filter((w) => w.length > 1 || w === 'a' || w === 'i'));
// Common to both languages ("no", "me") or to both vocabularies ("doctor", "alcohol"): no vote either way.
const BOTH = new Set<string>(['a', 'no', 'me', 'he', 'doctor', 'alcohol', 'final', 'general', 'total', 'ex', 'hospital', 'normal']);
// Tokens arrive accent-folded ("qué" -> "que"), so the list is folded too.
// Words that are Spanish function words but also common English ones ("a", "no", "me") prove nothing.
const SPANISH = new Set<string>(
  [
    ...spanishStopwords,
    // greetings, courtesy, people
    'hola', 'gracias', 'buenas', 'buenos', 'dias', 'tardes', 'noches', 'porfavor', 'favor', 'disculpe', 'oiga',
    'usted', 'ustedes', 'alguien', 'nadie', 'hijo', 'hija', 'hijos', 'hijas', 'esposo', 'esposa', 'hermano', 'hermana',
    'madre', 'padre', 'mama', 'papa', 'familia', 'familiares', 'novio', 'novia', 'amigo', 'amiga', 'persona', 'personas',
    'adolescentes', 'adolescente', 'jovenes', 'joven', 'menores', 'ninos', 'nino', 'mujeres', 'mujer', 'hombres', 'hombre', 'anos',
    // question words and function words the stop list lacks
    'cuanto', 'cuanta', 'cuantos', 'cuantas', 'cual', 'cuales', 'como', 'donde', 'cuando', 'quien', 'quienes', 'porque',
    'es', 'son', 'hay', 'soy', 'eres', 'somos', 'esta', 'estan', 'estoy', 'estamos', 'tambien', 'mas', 'muy', 'algo',
    'nada', 'todo', 'todos', 'otra', 'otro', 'aqui', 'alla', 'ahora', 'hoy', 'manana', 'semana', 'mes', 'horas', 'hora',
    'noche', 'tarde', 'mucho', 'mucha', 'poco', 'mejor', 'despues', 'antes', 'entre', 'sobre', 'tiene', 'tienen', 'tengo',
    'el', 'los', 'las', 'una', 'unos', 'unas', 'del', 'al', 'y', 'o', 'eso', 'esto', 'ese', 'mi', 'mis', 'tu', 'su', 'sus',
    // frequent verbs a visitor uses
    'necesito', 'necesita', 'necesitan', 'quiero', 'quiere', 'quisiera', 'puedo', 'puede', 'pueden', 'podria', 'saber',
    'ayuda', 'ayudar', 'ayudan', 'ayudarme', 'llamar', 'llamo', 'hablar', 'hablan', 'habla', 'hable', 'ofrecen', 'ofrece',
    'aceptan', 'acepta', 'atienden', 'atiende', 'tratan', 'trata', 'dan', 'dar', 'dais', 'hacen', 'hace', 'cubre', 'cubren',
    'cuesta', 'cuestan', 'cobran', 'pagar', 'pago', 'queda', 'quedan', 'ubicados', 'ubicado', 'abren', 'cierran', 'ir',
    'vivo', 'vive', 'toma', 'tomo', 'bebe', 'bebo', 'usa', 'usan', 'uso', 'trabajo', 'trabajar', 'trabajando', 'seguir',
    'empezar', 'comenzar', 'salir', 'sale', 'salio', 'sigue', 'participar', 'dura', 'duran', 'tiempo', 'visitar',
    // the domain
    'programa', 'programas', 'tratamiento', 'tratamientos', 'terapia', 'terapias', 'sesion', 'sesiones', 'grupo', 'grupos',
    'consejero', 'consejera', 'medico', 'medica', 'doctor', 'clinica', 'centro', 'cita', 'citas', 'consulta', 'precio',
    'costo', 'seguro', 'aseguranza', 'gratis', 'dinero', 'espanol', 'ingles', 'informacion', 'numero', 'telefono',
    'drogas', 'droga', 'alcohol', 'adiccion', 'adicciones', 'alcoholismo', 'desintoxicacion', 'desintoxicarse', 'recaida',
    'metadona', 'pastillas', 'medicamentos', 'medicamento', 'medicina', 'ambulatorio', 'intensivo', 'hospitalizacion',
    'parcial', 'internado', 'residencial', 'horario', 'horarios', 'estacionamiento', 'direccion', 'ansiedad', 'depresion',
  ]
    .map((w) => foldCase(w))
    // Digits and the letters other than "y" and "o" are in natural's Spanish list; they prove nothing.
    .filter((w) => /^\p{L}/u.test(w) && (w.length > 1 || w === 'y' || w === 'o'))
    .filter((w) => !BOTH.has(w) && !ENGLISH.has(w)),
);
// Spanish words that are also English ones or chat shorthand ("my son", "sin", "usa", "y" for "why"): half a vote.
const WEAK = new Set<string>(['son', 'sin', 'era', 'sale', 'usa', 'dan', 'al', 'hay', 'con', 'y', 'mi', 'mas', 'pago', 'dura', 'once', 'fin', 'le', 'ya', 'solo', 'dice', 'cura']);
// Endings English does not use: "informacion", "hospitalizaciones", "ciudades", "tomando", "bebiendo".
const SPANISH_ENDING = /(?:cion|ciones|siones|dades|iendo|ando)$/;

/**
 * A small, fast guess at Spanish versus English from function words, enough
 * to answer a Spanish-speaking visitor in Spanish with the admissions line.
 * It takes basic-normalized tokens plus the raw text (for ¿ ¡ ñ).
 */
export function detectLanguage(rawText: string, tokens: readonly string[]): Language {
  const { spanish, english } = votes(tokens);
  // ¿ and ¡ are written only in Spanish: they settle a short question ("¿Atienden a adolescentes?").
  if (/[¿¡]/.test(rawText) && spanish >= english) return 'es';
  if (/[ñÑ]/.test(rawText) && spanish >= 1 && spanish >= english) return 'es';
  if (spanish >= 2 && spanish > english) return 'es';
  if (spanish >= 1 && tokens.length <= 3 && english === 0) return 'es';
  return 'en';
}

/** The votes behind detectLanguage: Spanish and English function and domain words, and Spanish endings, in a message. */
function votes(tokens: readonly string[]): { spanish: number; english: number } {
  let spanish = 0;
  let english = 0;
  for (const t of tokens) {
    if (BOTH.has(t)) continue;
    if (WEAK.has(t)) spanish += 0.5;
    else if (SPANISH.has(t)) spanish++;
    else if (ENGLISH.has(t)) english++;
    else if (t.length >= 6 && SPANISH_ENDING.test(t)) spanish += 0.5;
  }
  return { spanish, english };
}

/**
 * The conversation's language after this message. The first message decides ("hola", "hay
 * parqueo?" make it Spanish), or the channel's locale ("es-US") before any. Once English, a
 * short "no gracias" or "sí" does not turn it: it takes a Spanish sentence. Once Spanish, it turns
 * back only on a plainly English message ("ok", "IOP?", a name say nothing).
 */
export function conversationLanguage(current: Language | undefined, message: Language | (() => Language), rawText: string, tokens: readonly string[], locale?: string): Language {
  // The message's own language (the recognizer's vote) is asked only when the votes could change the conversation's.
  const of = (): Language => (typeof message === 'function' ? message() : message);
  const start = current ?? (/^es\b/i.test(locale ?? '') ? 'es' : undefined);
  if (start === undefined) return of();
  const { spanish, english } = votes(tokens);
  if (start === 'en') return (/[¿¡]/.test(rawText) || (spanish >= 2 && spanish > english)) && of() === 'es' ? 'es' : 'en';
  return english >= 3 && spanish === 0 && of() === 'en' ? 'en' : 'es';
}
