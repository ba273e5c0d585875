import { ScreeningDialog } from '../../../dialogs/screeningDialog';
import { actsAt } from '../../core/understanding/acts';
import type { TurnActions } from '../actions';
import type { Stage } from '../turn';

/**
 * Facts told before the screening ("my son drinks every day and gets the shakes") are
 * kept as the answers they give (question id → choice id, never the words), for the
 * screening to use once the visitor consents, so it does not ask them again. Read
 * from what the visitor states, not from what they ask ("is IOP every day?"), nor
 * from a denial; not while a dialog waits for its own answer (a screening question,
 * a callback step), which reads that answer itself. The consent question is no such
 * step: "yes, he drinks every day" is a fact too.
 */
export const volunteered =
  (a: TurnActions): Stage =>
  async (t) => {
    // Who the answers are about, read in every state: "it's for my dad" may come mid-screening.
    const meta = a.phrases.meta;
    const n = t.u.normalized;
    const waiting = t.top === 'screening' ? ScreeningDialog.progress(await t.dialogs()) : t.top;
    if (meta.answeringForSelf.test(n)) t.data.answeringForOther = undefined;
    else if (meta.answeringForOther.test(n)) t.data.answeringForOther = true;
    // "my son drinks every day": only as the reason for asking, before any question is waiting.
    else if (!waiting && meta.someoneElseUsing.test(n) && !meta.firstPersonUse.test(n)) t.data.answeringForOther = true;
    if (waiting) return;
    const screening = a.deps.screening;
    for (const [i, part] of t.u.parts.entries()) {
      // Only what is told: a statement or a disclosure ("hi", "talk to a person", a question or a denial tell nothing).
      const acts = actsAt(t.u, i);
      if (part.interrogative || acts.some((x) => x.act === 'question' || x.act === 'deny') || !acts.some((x) => x.act === 'statement' || x.act === 'disclose')) continue;
      const stated = screening.volunteered(part.text);
      if (Object.keys(stated).length) t.data.volunteered = { ...t.data.volunteered, ...stated };
    }
  };
