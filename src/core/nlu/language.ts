import { words as spanishStopwords } from 'natural/lib/natural/util/stopwords_es';
import { words as englishStopwords } from 'natural/lib/natural/util/stopwords';

export type Language = 'en' | 'es';

const ENGLISH = new Set<string>(englishStopwords);
// Words that are Spanish function words but also common English ones ("a", "no", "me") prove nothing.
const SPANISH = new Set<string>(
  [
    ...spanishStopwords,
    'hola', 'gracias', 'necesito', 'ayuda', 'quiero', 'tienen', 'tiene', 'cuesta', 'cuanto', 'cuantos',
    'programa', 'programas', 'tratamiento', 'hablan', 'habla', 'espanol', 'seguro', 'puedo', 'informacion',
    'hijo', 'hija', 'esposo', 'esposa', 'drogas', 'estan', 'horario', 'costo', 'aceptan', 'buenas', 'buenos',
    'dias', 'tardes', 'noches', 'usted', 'ustedes', 'mi', 'es', 'son', 'hay', 'soy', 'tengo', 'esta', 'alguien',
    'llamar', 'ayudar', 'pueden', 'donde', 'cuando', 'semana', 'horas', 'familia', 'terapia', 'desintoxicacion',
    'adiccion', 'alcoholismo', 'cita', 'precio', 'pagar', 'aseguranza', 'ingles', 'tambien', 'mas', 'necesita',
    'hermano', 'hermana', 'madre', 'padre', 'mama', 'papa', 'vivo', 'trabajo', 'ofrecen', 'ustedes', 'eso',
    'porfavor', 'favor', 'quisiera', 'saber', 'puede', 'metadona', 'pastillas', 'medicamentos', 'medicamento', 'medicina', 'clinica', 'consejero', 'consejera', 'ayudan', 'aceptan', 'cubre', 'seguro', 'gratis', 'donde', 'queda', 'dias', 'noche', 'tarde', 'manana', 'grupo', 'grupos',
  ].filter((w) => !ENGLISH.has(w) && w !== 'a' && w !== 'no'),
);

/**
 * A small, fast guess at Spanish versus English from function words, enough
 * to answer a Spanish-speaking visitor in Spanish with the admissions line.
 * It takes basic-normalized tokens plus the raw text (for ¿ ¡ ñ).
 */
export function detectLanguage(rawText: string, tokens: readonly string[]): Language {
  let spanish = 0;
  let english = 0;
  for (const t of tokens) {
    if (SPANISH.has(t)) spanish++;
    else if (ENGLISH.has(t)) english++;
  }
  if (/[¿¡ñÑ]/.test(rawText) && spanish >= 1) return 'es';
  if (spanish >= 2 && spanish > english) return 'es';
  if (spanish >= 1 && tokens.length <= 2 && english === 0) return 'es';
  return 'en';
}
