import { conversationLanguage } from '../../core/nlu/language';
import { basicNormalize, words } from '../../core/text/normalize';
import type { TurnActions } from '../actions';
import type { Stage } from '../turn';

/**
 * The conversation's language, kept between turns: detected from each message (and the
 * channel's locale at first), or switched on request ("en español", "English please").
 * Every reply is then said in it (src/channels/render.ts renderFor); a request alone is
 * acknowledged in the new language.
 */
export const language =
  (a: TurnActions): Stage =>
  async (t) => {
    const normalized = basicNormalize(t.text);
    const asked = a.phrases.languageAsked(normalized);
    const now = asked ?? conversationLanguage(t.data.language, a.deps.recognizer.languageOf(t.text), t.text, words(normalized), t.context.activity.locale);
    t.data.language = now;
    if (!asked || !a.phrases.onlyLanguageAsked(normalized)) return;
    t.reply.add('answer', a.message('language'));
    return 'done';
  };
