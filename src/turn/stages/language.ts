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
    // The message as understood (a number typed for a choice is that choice's words).
    const normalized = t.u.normalized || basicNormalize(t.text);
    // "no entiendo ingles. que es IOP?": a request said in one part of the message counts too.
    const asked = a.phrases.languageAsked(normalized) ?? t.u.parts.map((p) => a.phrases.languageAsked(p.normalized)).find(Boolean);
    // A button tapped (its value is the bot's English words) or a number typed says nothing of the visitor's language.
    if (!asked && t.picked && t.data.language) return;
    const now = asked ?? conversationLanguage(t.data.language, () => a.deps.recognizer.languageOf(t.said, normalized), t.said, words(normalized), t.context.activity.locale);
    t.data.language = now;
    if (!asked || !a.phrases.onlyLanguageAsked(normalized)) return;
    t.reply.add('answer', a.message('language'));
    return 'done';
  };
