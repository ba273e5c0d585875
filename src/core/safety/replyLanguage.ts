import type { CrisisLanguage } from './schema';

// Function words that tell English from Spanish when a message mixes them.
const ES_MARKERS = new Set([
  'que', 'el', 'la', 'los', 'las', 'mi', 'mis', 'es', 'esta', 'estoy', 'por', 'para', 'con', 'se', 'de', 'y', 'un', 'una', 'muy', 'ya',
  'tiene', 'tengo', 'quiero', 'pero', 'su', 'lo', 'le', 'del', 'al', 'como', 'hijo', 'hija', 'esposo', 'esposa', 'ayuda',
  'voy', 'va', 'vas', 'van', 'quiere', 'estar', 'morir', 'matar', 'matarme', 'hoy', 'ayer', 'manana', 'nadie', 'nada', 'todo', 'todos',
  'porque', 'cuando', 'donde', 'aqui', 'ahora', 'ahorita', 'mucho', 'muchas', 'muchos', 'pastillas', 'noche', 'vida', 'ojala', 'mejor',
  'siempre', 'nunca', 'vez', 'dice', 'dijo', 'creo', 'siento', 'puedo', 'puede', 'sin', 'hasta', 'desde', 'ese', 'esa', 'este', 'novio',
  'novia', 'hermano', 'hermana', 'amigo', 'amiga', 'casa', 'mama', 'papa', 'despierta', 'respira', 'miedo', 'ni', 'mas', 'tambien',
]);
const EN_MARKERS = new Set(['the', 'i', 'im', 'my', 'is', 'and', 'to', 'he', 'she', 'it', 'you', 'of', 'in', 'on', 'with', 'have', 'has', 'just', 'was', 'hes', 'shes', 'not', 'help', 'please', 'what', 'do', 'dont', 'cant', 'wont', 'took', 'wanna', 'gonna', 'want', 'think']);

/**
 * The reply language: the message's own when its function words say so (an
 * English pattern such as "overdos*" can match "mi hijo tuvo un overdose",
 * which gets the Spanish reply), otherwise the matched pattern's language.
 */
export function guessLanguage(tokens: readonly string[], fallback: CrisisLanguage): CrisisLanguage {
  let es = 0;
  let en = 0;
  for (const w of tokens) {
    if (ES_MARKERS.has(w)) es++;
    else if (EN_MARKERS.has(w)) en++;
  }
  if (es > en) return 'es';
  if (en > es) return 'en';
  return fallback;
}
