import type { Activity } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import * as path from 'node:path';
import { ScreeningDialog } from '../../dialogs/screeningDialog';
import { knowledgeDir } from '../../src/core/knowledge/load';
import { Screening, type ScreeningAnswers, type ScreeningResult } from '../../src/core/screening/screening';

const screening = Screening.fromFile(path.join(knowledgeDir(), 'screening.yaml'));

/** Everything a visitor reads in one reply, whatever the channel's rendering. */
function read(a: Partial<Activity> | undefined): string {
  if (!a) return '';
  const card = a.attachments?.[0]?.content as { body?: Array<{ text?: string }>; actions?: Array<{ title?: string }> } | undefined;
  return [a.text ?? '', ...(card?.body ?? []).map((b) => b.text ?? ''), ...(card?.actions ?? []).map((x) => x.title ?? ''), ...(a.suggestedActions?.actions ?? []).map((x) => String(x.title))].join(' ');
}

/** Send a turn and take every reply it produced (a long SMS question comes in several parts), merged into one. */
async function say(c: DialogTestClient, text: string): Promise<Partial<Activity>> {
  const all = await turn(c, text);
  return {
    text: all.map((a) => a.text ?? '').join('\n'),
    attachments: all.flatMap((a) => a.attachments ?? []),
    suggestedActions: all.map((a) => a.suggestedActions).find(Boolean),
  };
}

async function turn(c: DialogTestClient, text: string): Promise<Partial<Activity>[]> {
  const all: Partial<Activity>[] = [];
  for (let a: Partial<Activity> | undefined = await c.sendActivity(text); a; a = c.getNextReply()) all.push(a);
  return all;
}

function client(channelId: string, told?: ScreeningAnswers) {
  const results: ScreeningResult[] = [];
  let taken = 0;
  const dialog = new ScreeningDialog(
    screening,
    async (context, result) => {
      results.push(result);
      await context.sendActivity(screening.suggestionText(result));
    },
    async () => (taken++ ? undefined : told),
  );
  const c = new DialogTestClient(channelId, dialog);
  return { c, results };
}

/** Data-driven paths: what the visitor types at each step, and the level they should land on. */
const PATHS: Array<{ name: string; turns: string[]; level: string }> = [
  {
    name: 'daily drinking with the shakes',
    turns: ['yes', 'alcohol', 'every day', 'yeah', 'no', 'yes'],
    level: 'detox',
  },
  {
    name: 'weekly therapy was not enough and cravings are strong, safe home, evenings',
    turns: ['yes', 'cocaine', 'a few times a week', 'no', 'no', '2', 'yes strong', 'some', 'no', 'yes', 'evening'],
    level: 'iop',
  },
  {
    name: 'relapsed after an IOP, cannot get through a day, supportive home',
    turns: ['yes', '5', '2', 'no', 'no', 'an iop wasnt enough', 'yes', 'a lot', 'no', 'yes', 'day'],
    level: 'php',
  },
  {
    name: 'high needs and a roommate who uses',
    turns: ['yes', 'opioids', 'daily', 'no', 'no', 'no', 'yes', 'a lot', 'manageable', 'no, my roommate uses'],
    level: 'residential',
  },
  {
    name: 'in recovery and wanting relapse prevention',
    turns: ['yes', 'alcohol', 'not using right now', 'no', '4', 'no', 'little', 'no', 'yes', 'either'],
    level: 'outpatient',
  },
];

describe.each(['webchat', 'msteams', 'sms'])('ScreeningDialog on %s', (channelId) => {
  it.each(PATHS)('when a visitor answers as "$name", then the suggestion is $level with reasons', async ({ turns, level }) => {
    const { c, results } = client(channelId);
    let reply: Partial<Activity> | undefined = await say(c, 'start');
    expect(read(reply)).toMatch(/not a diagnosis/i);
    for (const t of turns) reply = await say(c, t);
    expect(results).toHaveLength(1);
    expect(results[0]!.level).toBe(level);
    expect(results[0]!.questionsAsked).toBeLessThanOrEqual(12);
    expect(read(reply)).toMatch(/suggestion, not a diagnosis/i);
  });

  it('when the visitor declines consent, then no question about substance use is asked', async () => {
    const { c, results } = client(channelId);
    await say(c, 'start');
    const reply = await say(c, 'not now');
    expect(read(reply)).toContain('(877) 920-6583');
    expect(read(reply)).not.toMatch(/using|drink/i);
    expect(results).toHaveLength(0);
    expect(c.dialogTurnResult.status).toBe('complete');
  });

  it('when an answer is not understood, then it is re-asked with the choices, and after repeated misses the admissions line is offered', async () => {
    const { c } = client(channelId);
    await say(c, 'start');
    await say(c, 'yes');
    const retry = await say(c, 'purple monkey');
    expect(read(retry)).toMatch(/didn't catch that/i);
    expect(read(retry)).toMatch(/alcohol/i);
    await say(c, 'banana');
    const giveUp = await say(c, 'what');
    expect(read(giveUp)).toContain('(877) 920-6583');
    expect(c.dialogTurnResult.status).toBe('complete');
  });

  it('when the visitor says they don\'t know and the question has no "Not sure", then it is asked once more gently with the choices, not "didn\'t catch that"', async () => {
    const { c, results } = client(channelId);
    await say(c, 'start');
    for (const t of ['yes', 'alcohol', 'rarely', 'no', 'no', 'no']) await say(c, t);
    const gentle = await say(c, 'idk');
    expect(read(gentle)).toMatch(/doesn't have to be exact/i);
    expect(read(gentle)).not.toMatch(/didn't catch that/i);
    expect(read(gentle)).toMatch(/how much is it affecting/i);
    expect(read(gentle)).toMatch(/A little or not at all/);
    for (const t of ['a bit', 'no', 'yes', 'day']) await say(c, t);
    expect(results[0]?.answers['daily-life']).toBe('some');
  });

  it('when the visitor answers "yes" to "have you tried treatment before?", then they are asked which fits best', async () => {
    const { c } = client(channelId);
    await say(c, 'start');
    for (const t of ['yes', 'alcohol', 'rarely', 'no']) await say(c, t);
    const which = await say(c, 'yes');
    expect(read(which)).toMatch(/which of these fits best/i);
    expect(read(which)).toMatch(/IOP wasn't enough/);
    const next = await say(c, '2');
    expect(read(next)).toMatch(/cravings/i);
  });

  it('when the visitor says "back", then the previous question is asked again and can be changed', async () => {
    const { c, results } = client(channelId);
    await say(c, 'start');
    await say(c, 'yes');
    await say(c, 'alcohol');
    const back = await say(c, 'back');
    expect(read(back)).toMatch(/what are you/i);
    await say(c, 'weed');
    for (const t of ['rarely', 'no', '1', 'no', 'little', 'no', 'yes', 'day']) await say(c, t);
    expect(results[0]?.answers['substances']).toBe('cannabis');
  });

  it('when the visitor types the Spanish "atrás" or "cambiar mi respuesta", then the previous question is asked again, as with "back"', async () => {
    const { c } = client(channelId);
    await say(c, 'start');
    await say(c, 'yes');
    await say(c, 'alcohol');
    expect(read(await say(c, 'atrás'))).toMatch(/what are you/i);
    await say(c, 'alcohol');
    expect(read(await say(c, 'cambiar mi respuesta'))).toMatch(/what are you/i);
  });

  it('when the visitor told answers before the screening, then after consent those questions are skipped and said back, and "back" asks the last of them again', async () => {
    const { c, results } = client(channelId, { substances: 'alcohol', frequency: 'daily' });
    await say(c, 'start');
    const first = await say(c, 'yes');
    expect(read(first)).toMatch(/I've noted: Alcohol; Every day or almost\./);
    expect(read(first)).toMatch(/When you stop or cut down/);
    expect(read(await say(c, 'back'))).toMatch(/How often is it used/);
    for (const t of ['a few times a week', 'no', 'no', 'none', 'no', 'little', 'no', 'yes', 'day']) await say(c, t);
    expect(results[0]?.answers).toMatchObject({ substances: 'alcohol', frequency: 'weekly' });
  });

  it('when an answer states later answers, then they are said back, and "back" walks back through them one by one', async () => {
    const { c, results } = client(channelId);
    await say(c, 'start');
    await say(c, 'yes');
    const next = await say(c, 'alcohol, every day, he gets the shakes');
    expect(read(next)).toMatch(/I've noted: Every day or almost; Withdrawal symptoms: Yes\./);
    expect(read(await say(c, 'back'))).toMatch(/When you stop or cut down/);
    expect(read(await say(c, 'back'))).toMatch(/How often is it used/);
    for (const t of ['a few times a week', 'no', 'no', 'none', 'no', 'little', 'no', 'yes', 'day']) await say(c, t);
    expect(results[0]?.answers).toMatchObject({ substances: 'alcohol', frequency: 'weekly', withdrawal: 'no' });
  });

  it('when a told answer is made moot by a later one ("less than weekly" after the shakes), then it is dropped like any answer', async () => {
    const { c, results } = client(channelId, { withdrawal: 'yes' });
    await say(c, 'start');
    expect(read(await say(c, 'yes'))).toMatch(/I've noted: Withdrawal symptoms: Yes\.[\s\S]*What are you/);
    await say(c, 'alcohol');
    expect(read(await say(c, 'rarely'))).toMatch(/Have you recently finished/);
    for (const t of ['no', 'none', 'no', 'little', 'no', 'yes', 'day']) await say(c, t);
    expect(results[0]?.answers['withdrawal']).toBeUndefined();
    expect(results[0]?.level).toBe('outpatient');
  });
});

describe('ScreeningDialog rendering', () => {
  it('when on SMS, then questions are plain text with numbered choices', async () => {
    const { c } = client('sms');
    await say(c, 'start');
    const q = await say(c, 'yes');
    expect(q.text).toMatch(/Reply with a number:\n1\. Alcohol/);
    expect(q.attachments ?? []).toHaveLength(0);
  });

  it('when the consent text is long on SMS, then it comes in parts of at most 320 characters, the choices last, on every ask', async () => {
    const { c } = client('sms');
    const consent = await turn(c, 'start');
    expect(consent.length).toBeGreaterThan(1);
    expect(consent.every((a) => (a.text ?? '').length <= 320 && !a.attachments?.length)).toBe(true);
    expect(consent[consent.length - 1]?.text).toMatch(/Reply with a number:\n1\. Yes/);
    expect(consent.map((a) => a.text).join(' ')).toMatch(/not a diagnosis/i);
    // A re-ask sends the choices again (its own text is short).
    const retry = await turn(c, 'purple monkey');
    expect(retry.every((a) => (a.text ?? '').length <= 320)).toBe(true);
    expect(retry[retry.length - 1]?.text).toMatch(/1\. Yes/);
  });

  it('when on Teams, then questions are Adaptive Cards whose buttons send the answer back', async () => {
    const { c } = client('msteams');
    await say(c, 'start');
    const q = await say(c, 'yes');
    expect(q.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(q.attachments?.[0]?.content)).toContain('imBack');
  });
});
