import { activity, post, type Replies } from './app';

/** A reference as the bot gives it (src/core/handoff/reference.ts). */
export const REFERENCE = /GB-[2-9A-HJKMNP-Z]{6}/;
/** The turn failed (database down, conflicting write): the polite apology with the admissions line. */
export const APOLOGY = /something went wrong[\s\S]*\(877\) 920-6583/;

/** What the visitor reads: the texts of the replies. */
export const texts = (res: Pick<Replies, 'activities'>): string => res.activities.map((a) => String(a.text ?? '')).join('\n');

/**
 * One visitor turn over /api/messages (expectReplies), bounded: a turn that never
 * answers fails the test with a clear message instead of hanging it.
 */
export async function say(url: string, conversation: string, text: string, boundMs = 45_000): Promise<Replies> {
  const request = post(url, activity({ text, conversation: { id: conversation }, from: { id: `visitor-${conversation}`, name: 'Visitor' } }));
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no reply to a turn of ${conversation} within ${boundMs / 1000} s (a hang)`)), boundMs);
  });
  try {
    return await Promise.race([request, bound]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The steps of a callback request, in order, each recognised by what the bot
 * says at that point (its prompt, or its re-ask of the same question).
 */
export const CALLBACK_STEPS = [
  { step: 'offer', prompt: /I can ask\s+them to call you back/, answer: 'Request a callback' },
  { step: 'name', prompt: /What first name should admissions ask for|Just a first name is fine/, answer: 'Sam' },
  { step: 'phone', prompt: /What US phone number should they call|doesn't look like a US phone number/, answer: '617-555-0123' },
  { step: 'time', prompt: /best time to reach you/, answer: 'Evening' },
  { step: 'consent', prompt: /OK for Greater Boston Addiction Centers admissions to call or text you/, answer: 'Yes, contact me' },
  { step: 'received', prompt: /your\s+reference number is GB-/, answer: '' },
  // Asked with the reference when the visitor wrote before the callback steps: only a yes shares them.
  { step: 'share', prompt: /see your last few messages here/, answer: 'No, thanks' },
] as const;

/**
 * Where a callback request stands after this reply: the index of the last step it
 * shows (0 = the offer … 5 = the reference, 6 = the share question asked with it), or -1 when it is none of them.
 */
export function callbackStep(reply: string): number {
  for (let i = CALLBACK_STEPS.length - 1; i >= 0; i--) if (CALLBACK_STEPS[i]!.prompt.test(reply)) return i;
  return -1;
}
