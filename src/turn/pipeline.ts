import type { TurnActions } from './actions';
import type { Stage, Turn } from './turn';
import { rateLimit } from './stages/rateLimit';
import { empty } from './stages/empty';
import { language } from './stages/language';
import { understanding } from './stages/understanding';
import { safety } from './stages/safety';
import { liveTakeover } from './stages/liveTakeover';
import { smsKeywords } from './stages/smsKeywords';
import { volunteered } from './stages/volunteered';
import { checkIn } from './stages/checkIn';
import { expectations } from './stages/expectations';
import { safetyAnswers } from './stages/safetyAnswers';
import { commands } from './stages/commands';
import { filedRequest } from './stages/filedRequest';
import { recall } from './stages/recall';
import { handoffStep } from './stages/handoffStep';
import { screeningStep } from './stages/screeningStep';
import { acknowledge } from './stages/acknowledge';
import { answer } from './stages/answer';
import { compose } from './stages/compose';

/**
 * One visitor message, read top to bottom. Each stage handles what it can and
 * says whether the turn is over; whatever it is, the composed reply goes out last.
 */
export function turnPipeline(a: TurnActions): { run(turn: Turn): Promise<void> } {
  const stages: Array<[string, Stage]> = [
    ['rate limit', rateLimit(a)],
    ['empty', empty(a)],
    ['understanding', understanding(a)],
    ['language', language(a)],
    ['safety', safety(a)],
    ['live takeover', liveTakeover(a)],
    ['sms keywords', smsKeywords(a)],
    ['facts told unasked', volunteered(a)],
    ['crisis check-in', checkIn(a)],
    ['safety answers', safetyAnswers(a)],
    ['expectations', expectations(a)],
    ['commands', commands(a)],
    ['filed request', filedRequest(a)],
    ['recall', recall(a)],
    ['callback step', handoffStep(a)],
    ['screening step', screeningStep(a)],
    ['acknowledge', acknowledge(a)],
    ['answer', answer(a)],
  ];
  const finish = compose(a);
  return {
    async run(turn) {
      for (const [, stage] of stages) if ((await stage(turn)) === 'done') break;
      await finish(turn);
    },
  };
}
