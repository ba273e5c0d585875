import path from 'node:path';
import { loadCatalogue } from '../src/core/i18n/mirror';
import { knowledgeDir } from '../src/core/knowledge/load';
import type { LevelOfCare } from '../src/core/screening/schema';
import { Screening, type ScreeningAnswers } from '../src/core/screening/screening';
import { activity, post, useApp } from './helpers/app';

/**
 * Whole self-screening conversations, in visitors' own words, through the real
 * service over HTTP (POST /api/messages, expectReplies), on web chat and SMS.
 *
 * Each conversation says how the visitor starts, how they consent, and what they
 * answer to every question the flow asks them (free text, shorthand, typos,
 * hedges, numbers on SMS, a side question now and then). Next to each answer is
 * the choice a careful human would read it as; the expected level is the one a
 * careful reader of knowledge/screening.yaml's rules gives those choices (checked
 * against the rules themselves below, so a wrong expectation shows up as such).
 *
 * The bot must take each answer the first time (no "I didn't catch that"), ask
 * the questions the rules call for and no others, and end with the suggestion,
 * worded as a suggestion admissions confirms, with a person offered.
 */

const screening = Screening.fromFile(path.join(knowledgeDir(), 'screening.yaml'));

type Channel = 'webchat' | 'sms';

interface Answer {
  /** What the visitor types. */
  say: string;
  /** The choice id a careful human reads it as. */
  means: string;
  /**
   * When the first words are honestly not an answer (e.g. "idk" where there is no
   * "Not sure" choice), the bot may ask once more, gently and with the choices
   * (never "I didn't catch that"); this is the visitor's second try.
   */
  then?: string;
}

interface Conversation {
  /** Who the visitor is and how they write: "a daily drinker who gets the shakes, texting in shorthand". */
  who: string;
  channel: Channel;
  opener: string;
  consent: string;
  answers: Record<string, Answer>;
  /**
   * Questions the visitor answered before being asked (in the opener, or beside another
   * answer): the bot says what it noted and does not ask them. Their `answers` entry is
   * what the visitor would have said, for the placement.
   */
  noted?: string[];
  /** A side question asked just before the given question is answered. */
  side?: { before: string; ask: string; expect: RegExp };
  level: LevelOfCare;
  /** A Spanish-speaking visitor: every question, choice and the suggestion are said in Spanish. */
  spanish?: boolean;
}

const a = (say: string, means: string, then?: string): Answer => ({ say, means, then });

const CONVERSATIONS: Conversation[] = [
  {
    who: 'a daily drinker who gets the shakes and whose husband drinks too',
    channel: 'webchat',
    opener: 'which program is right for me',
    consent: 'ok sure',
    answers: {
      substances: a('mostly drinking, beer and vodka', 'alcohol'),
      frequency: a('every dam day', 'daily'),
      withdrawal: a('ya i get the shakes in the morning', 'yes'),
      medical: a('nah', 'no'),
      home: a('my husband drinks too', 'no'),
    },
    level: 'detox',
  },
  {
    who: 'a drinker who has never stopped long enough to know about withdrawal, texting',
    channel: 'sms',
    opener: 'can u help me figure out what i need',
    consent: 'ya',
    answers: {
      substances: a('1', 'alcohol'),
      frequency: a('well i drink most nights but weekends are worse', 'daily'),
      withdrawal: a('idk never really stopped', 'unsure'),
      'recent-care': a('no', 'no'),
      'tried-before': a('nope never', 'none'),
      cravings: a('kinda', 'sometimes'),
      'daily-life': a('its starting to mess with work', 'some'),
      'mental-health': a('nah', 'no'),
      medical: a('no', 'no'),
      home: a('yea its fine', 'yes'),
      schedule: a('evenings', 'evening'),
    },
    level: 'detox',
  },
  {
    who: 'a weekly cannabis user with some anxiety and a supportive family',
    channel: 'webchat',
    opener: 'can i take the quiz',
    consent: 'yes',
    answers: {
      substances: a('weed', 'cannabis'),
      frequency: a('like 3x a wk', 'weekly'),
      withdrawal: a('nope', 'no'),
      'recent-care': a('no', 'no'),
      'tried-before': a('never been to treatment', 'none'),
      cravings: a('not really', 'no'),
      'daily-life': a('not much honestly', 'little'),
      'mental-health': a('a little anxiety but its ok', 'manageable'),
      home: a('yes my parents are really supportive', 'yes'),
      schedule: a('after work', 'evening'),
    },
    level: 'outpatient',
  },
  {
    who: 'a daily fentanyl user who gets dopesick and whose boyfriend uses, texting',
    channel: 'sms',
    opener: 'what level of care do i need',
    consent: 'sure',
    answers: {
      substances: a('fent', 'opioids'),
      frequency: a('everyday', 'daily'),
      withdrawal: a('yes dopesick af', 'yes'),
      medical: a('no', 'no'),
      home: a('not really, my bf uses', 'no'),
    },
    level: 'detox',
  },
  {
    who: 'a cocaine user for whom counseling was not enough',
    channel: 'webchat',
    opener: 'im not sure if i need iop or php can you help me decide',
    consent: 'yeah lets do it',
    answers: {
      substances: a('coke', 'stimulants'),
      frequency: a('every other day', 'weekly'),
      withdrawal: a('no', 'no'),
      'recent-care': a('nope', 'no'),
      'tried-before': a('i saw a counselor for a while but it didnt help', 'outpatient-not-enough'),
      cravings: a('yeah kinda', 'sometimes'),
      'daily-life': a('its getting in the way at work', 'some'),
      'mental-health': a('no', 'no'),
      home: a('mostly', 'mostly'),
      schedule: a('either works', 'either'),
    },
    level: 'iop',
  },
  {
    who: 'someone just out of detox and living in a sober house, texting',
    channel: 'sms',
    opener: 'where do i start',
    consent: 'y',
    answers: {
      substances: a('2', 'opioids'),
      frequency: a('not using rn, just got out of detox', 'not-using'),
      'recent-care': a('yes got out last week', 'yes'),
      'tried-before': a('first time in treatment', 'none'),
      cravings: a('sometimes', 'sometimes'),
      'daily-life': a('a little', 'little'),
      'mental-health': a('no', 'no'),
      home: a('yes im in a sober house', 'yes'),
      schedule: a('days', 'day'),
    },
    level: 'iop',
  },
  {
    who: 'an occasional drinker with no other concerns',
    channel: 'webchat',
    opener: 'help me figure out what i need',
    consent: 'ok',
    answers: {
      substances: a('alcohol', 'alcohol'),
      frequency: a('once in a while, mostly at parties', 'rarely'),
      'recent-care': a('no', 'no'),
      'tried-before': a('no never', 'none'),
      cravings: a('no not at all', 'no'),
      'daily-life': a('it doesnt really affect anything', 'little'),
      'mental-health': a('nope', 'no'),
      home: a('yes', 'yes'),
      schedule: a('nights are better', 'evening'),
    },
    level: 'outpatient',
  },
  {
    who: 'a daily meth user who relapsed after an IOP and lost their job',
    channel: 'webchat',
    opener: 'what would you recommend for someone like me',
    consent: 'sure',
    answers: {
      substances: a('meth', 'stimulants'),
      frequency: a('pretty much daily', 'daily'),
      withdrawal: a('no not really', 'no'),
      'recent-care': a('no', 'no'),
      'tried-before': a('i did an iop last year and relapsed', 'iop-not-enough'),
      cravings: a('yes really strong', 'yes'),
      'daily-life': a('i lost my job and i cant get out of bed most days', 'severe'),
      'mental-health': a('depression', 'manageable'),
      home: a('yes my mom is supportive', 'yes'),
      schedule: a('mornings', 'day'),
    },
    level: 'php',
  },
  {
    who: 'a daily crack user with severe anxiety who lives with people who use, texting',
    channel: 'sms',
    opener: 'i need help but dont know which program',
    consent: 'yes',
    answers: {
      substances: a('crack', 'stimulants'),
      frequency: a('daily', 'daily'),
      withdrawal: a('nah', 'no'),
      'recent-care': a('no', 'no'),
      'tried-before': a('nope', 'none'),
      cravings: a('constantly', 'yes'),
      'daily-life': a('everything is falling apart', 'severe'),
      'mental-health': a('really bad anxiety', 'severe'),
      home: a('no i live with people who use', 'no'),
    },
    level: 'residential',
  },
  {
    who: 'a Spanish speaker who drinks every day and gets tremors',
    channel: 'webchat',
    spanish: true,
    opener: '¿qué programa necesito?',
    consent: 'sí',
    answers: {
      substances: a('alcohol', 'alcohol'),
      frequency: a('todos los días', 'daily'),
      withdrawal: a('sí, temblores', 'yes'),
      medical: a('no', 'no'),
      home: a('sí', 'yes'),
    },
    level: 'detox',
  },
  {
    who: 'a Spanish speaker who uses marijuana now and then and has anxiety, texting',
    channel: 'sms',
    spanish: true,
    opener: 'q programa necesito',
    consent: 'si',
    answers: {
      substances: a('marihuana', 'cannabis'),
      frequency: a('unas veces por semana', 'weekly'),
      withdrawal: a('no', 'no'),
      'recent-care': a('no', 'no'),
      'tried-before': a('nunca', 'none'),
      cravings: a('a veces', 'sometimes'),
      'daily-life': a('un poco', 'little'),
      'mental-health': a('ansiedad', 'manageable'),
      home: a('si', 'yes'),
      schedule: a('por la noche', 'evening'),
    },
    level: 'outpatient',
  },
  {
    who: 'a daily Xanax user who asks about insurance mid-way and hedges about withdrawal',
    channel: 'webchat',
    opener: 'can you help me figure out the right program',
    consent: 'yes please',
    answers: {
      substances: a('benzos, xanax mostly', 'benzos'),
      frequency: a('most days', 'daily'),
      withdrawal: a('i guess so', 'yes'),
      medical: a('no', 'no'),
      home: a('yeah', 'yes'),
    },
    side: { before: 'frequency', ask: 'do you take insurance?', expect: /insurance/i },
    level: 'detox',
  },
  {
    who: 'someone who uses weed and alcohol, asks how many days IOP is, and answers by number, texting',
    channel: 'sms',
    opener: 'what program is right for me',
    consent: 'ok',
    answers: {
      substances: a('weed and alcohol', 'other'),
      frequency: a('a few times a week', 'weekly'),
      withdrawal: a('no', 'no'),
      'recent-care': a('no', 'no'),
      'tried-before': a('2', 'outpatient-not-enough'),
      cravings: a('3', 'no'),
      'daily-life': a('2', 'some'),
      'mental-health': a('1', 'no'),
      home: a('1', 'yes'),
      schedule: a('3', 'either'),
    },
    side: { before: 'withdrawal', ask: 'how many days a week is iop', expect: /3(–| to |-)5 days/i },
    level: 'iop',
  },
  {
    who: 'a pill user who hedges on everything',
    channel: 'webchat',
    opener: 'what level of care is right for me',
    consent: 'i guess',
    answers: {
      substances: a('pills', 'opioids'),
      frequency: a('idk maybe 2 or 3 times a week', 'weekly'),
      withdrawal: a('not really sure', 'unsure'),
      'recent-care': a('no', 'no'),
      'tried-before': a('i tried outpatient but it wasnt enough', 'outpatient-not-enough'),
      cravings: a('i guess so', 'yes'),
      'daily-life': a('kinda', 'some'),
      'mental-health': a('not really', 'no'),
      medical: a('no', 'no'),
      home: a('i think so', 'yes'),
      schedule: a('doesnt matter', 'either'),
    },
    level: 'iop',
  },
  {
    who: 'a daily drinker who types with typos, texting',
    channel: 'sms',
    opener: 'which program is best for me',
    consent: 'yess',
    answers: {
      substances: a('alchol', 'alcohol'),
      frequency: a('evry day', 'daily'),
      withdrawal: a('no withdrawls', 'no'),
      'recent-care': a('nope', 'no'),
      'tried-before': a('never', 'none'),
      cravings: a('somtimes', 'sometimes'),
      'daily-life': a('somewhat', 'some'),
      'mental-health': a('anxeity', 'manageable'),
      home: a('yes', 'yes'),
      schedule: a('evnings', 'evening'),
    },
    level: 'iop',
  },
  {
    who: 'a weekend drinker who answers with negations',
    channel: 'webchat',
    opener: 'i dont know what kind of treatment i need',
    consent: 'sure',
    answers: {
      substances: a('drinking', 'alcohol'),
      frequency: a('not every day, mostly weekends', 'weekly'),
      withdrawal: a('no i dont get withdrawals', 'no'),
      'recent-care': a('no i havent', 'no'),
      'tried-before': a('no not yet', 'none'),
      cravings: a('no not at all', 'no'),
      'daily-life': a('not a lot, im managing', 'little'),
      'mental-health': a('no not really', 'no'),
      home: a('yes no one drinks at home', 'yes'),
      schedule: a('either', 'either'),
    },
    level: 'outpatient',
  },
  {
    who: 'a weekend cannabis user who does not know about cravings, texting',
    channel: 'sms',
    opener: 'which treatment fits me',
    consent: 'yes',
    answers: {
      substances: a('5', 'cannabis'),
      frequency: a('weekends', 'weekly'),
      withdrawal: a('nah', 'no'),
      'recent-care': a('no', 'no'),
      'tried-before': a('no first time', 'none'),
      cravings: a('idk', 'sometimes'),
      'daily-life': a('little', 'little'),
      'mental-health': a('no', 'no'),
      home: a('kinda', 'mostly'),
      schedule: a('day', 'day'),
    },
    level: 'outpatient',
  },
  {
    who: 'a parent whose son drinks every night and gets the shakes',
    channel: 'webchat',
    opener: 'what program would fit my son',
    consent: 'yes',
    answers: {
      substances: a('he drinks a lot', 'alcohol'),
      frequency: a('he drinks basically every night and more on weekends', 'daily'),
      withdrawal: a('when he stops drinking he gets shaky and sweaty', 'yes'),
      medical: a("no he's healthy", 'no'),
      home: a('yes we dont keep any alcohol in the house', 'yes'),
    },
    level: 'detox',
  },
  {
    who: 'a parent whose daughter vapes weed daily and for whom therapy did not work, texting',
    channel: 'sms',
    opener: 'what program should my daughter do',
    consent: 'ok',
    answers: {
      substances: a('i think its weed, she vapes', 'cannabis'),
      frequency: a('she smokes every day', 'daily'),
      withdrawal: a('not sure', 'unsure'),
      'recent-care': a('no', 'no'),
      'tried-before': a('she did outpatient therapy last year but it didnt work', 'outpatient-not-enough'),
      cravings: a('she says shes worried about relapsing', 'yes'),
      'daily-life': a('her grades are slipping', 'some'),
      'mental-health': a('she has depression', 'manageable'),
      medical: a('not that i know of', 'no'),
      home: a('yes', 'yes'),
      schedule: a('after school', 'evening'),
    },
    level: 'iop',
  },
  {
    who: 'someone sober three months for whom AA helped',
    channel: 'webchat',
    opener: 'i want to do the screening',
    consent: 'sure thing',
    answers: {
      substances: a('alcohol', 'alcohol'),
      frequency: a('i quit 3 months ago', 'not-using'),
      'recent-care': a('no', 'no'),
      'tried-before': a('aa helped a lot', 'it-helped'),
      cravings: a('every once in a while', 'sometimes'),
      'daily-life': a('no its fine now', 'little'),
      'mental-health': a('no', 'no'),
      home: a('yes', 'yes'),
      schedule: a('evenings after work', 'evening'),
    },
    level: 'outpatient',
  },
  {
    who: 'an Adderall user recently hospitalized for depression, texting',
    channel: 'sms',
    opener: 'find the right program',
    consent: 'yes',
    answers: {
      substances: a('adderall', 'stimulants'),
      frequency: a('a couple times a week', 'weekly'),
      withdrawal: a('no', 'no'),
      'recent-care': a('no', 'no'),
      'tried-before': a('no', 'none'),
      cravings: a('a little', 'sometimes'),
      'daily-life': a('some', 'some'),
      'mental-health': a('yes i was in the hospital for depression last month', 'severe'),
      home: a('yes', 'yes'),
      schedule: a('either', 'either'),
    },
    level: 'php',
  },
  {
    who: 'a heroin user who relapsed after two IOPs and is couch surfing',
    channel: 'webchat',
    opener: 'where do i even start',
    consent: 'yes',
    answers: {
      substances: a('heroin', 'opioids'),
      frequency: a('a few times a week', 'weekly'),
      withdrawal: a('no', 'no'),
      'recent-care': a('no', 'no'),
      'tried-before': a('ive done iop twice and relapsed both times', 'iop-not-enough'),
      cravings: a('yes', 'yes'),
      'daily-life': a('some', 'some'),
      'mental-health': a('no', 'no'),
      home: a('no, im couch surfing', 'no'),
    },
    level: 'residential',
  },
  {
    who: 'a visitor who answers only "ya" and "nah", texting',
    channel: 'sms',
    opener: 'can u help me pick a program',
    consent: 'ya',
    answers: {
      substances: a('booze', 'alcohol'),
      frequency: a('like once a wk', 'weekly'),
      withdrawal: a('nah', 'no'),
      'recent-care': a('nah', 'no'),
      'tried-before': a('nah', 'none'),
      cravings: a('nah', 'no'),
      'daily-life': a('nah', 'little'),
      'mental-health': a('nah', 'no'),
      home: a('ya', 'yes'),
      schedule: a('whenever', 'either'),
    },
    level: 'outpatient',
  },
  {
    who: 'a daily cocaine user who puts the answer at the end of the sentence',
    channel: 'webchat',
    opener: 'which level of care fits my situation',
    consent: 'alright',
    answers: {
      substances: a('its mostly cocaine for me', 'stimulants'),
      frequency: a('i would say daily', 'daily'),
      withdrawal: a('honestly no', 'no'),
      'recent-care': a('no i have not', 'no'),
      'tried-before': a('first time looking into this', 'none'),
      cravings: a('strong cravings yes', 'yes'),
      'daily-life': a('a lot, i keep missing work', 'severe'),
      'mental-health': a('anxiety sometimes', 'manageable'),
      home: a('safe yes', 'yes'),
      schedule: a('evening', 'evening'),
    },
    level: 'php',
  },
  {
    who: 'a visitor who answers every question with a number, texting',
    channel: 'sms',
    opener: 'take the screening',
    consent: '1',
    answers: {
      substances: a('3.', 'benzos'),
      frequency: a('#1', 'daily'),
      withdrawal: a('2', 'no'),
      'recent-care': a('2', 'no'),
      'tried-before': a('4', 'it-helped'),
      cravings: a('2', 'sometimes'),
      'daily-life': a('3', 'little'),
      'mental-health': a('1', 'no'),
      home: a('1', 'yes'),
      schedule: a('1', 'day'),
    },
    level: 'iop',
  },
  {
    who: 'an occasional opioid user just out of a PHP who asks about cost mid-way',
    channel: 'webchat',
    opener: 'which program is right for me',
    consent: 'sure',
    answers: {
      substances: a('opioids', 'opioids'),
      frequency: a('on and off, maybe twice a month', 'rarely'),
      'recent-care': a('i just finished a php program', 'yes'),
      'tried-before': a('php helped', 'it-helped'),
      cravings: a('worried about relapsing for sure', 'yes'),
      'daily-life': a('not really', 'little'),
      'mental-health': a('ptsd', 'manageable'),
      home: a('mostly yes', 'mostly'),
      schedule: a('either is fine', 'either'),
    },
    side: { before: 'cravings', ask: 'how much does it cost?', expect: /cost|insurance|pay/i },
    level: 'iop',
  },
  {
    who: 'a daily cannabis user for whom therapy helped, who does not know how much it affects school, texting',
    channel: 'sms',
    opener: 'quiz pls',
    consent: 'sure',
    answers: {
      substances: a('mostly weed', 'cannabis'),
      frequency: a('all the time', 'daily'),
      withdrawal: a('not really', 'no'),
      'recent-care': a('nope', 'no'),
      'tried-before': a('yes, therapy helped for a while', 'it-helped'),
      cravings: a('not really', 'no'),
      'daily-life': a('idk', 'some', 'it affects school a bit'),
      'mental-health': a('nope', 'no'),
      home: a('yes', 'yes'),
      schedule: a('afternoons', 'day'),
    },
    level: 'iop',
  },
  {
    who: 'a daily Xanax user with a heart condition',
    channel: 'webchat',
    opener: 'what kind of program do i need',
    consent: 'ok',
    answers: {
      substances: a('xanax', 'benzos'),
      frequency: a('everyday', 'daily'),
      withdrawal: a('sometimes i get the shakes', 'yes'),
      medical: a('i have a heart condition', 'yes'),
      home: a('yes', 'yes'),
    },
    level: 'detox',
  },
  {
    who: 'a wine drinker who has never tried to stop and whose wife fights with them about it',
    channel: 'webchat',
    opener: 'I think I need help with my drinking, which program should I do?',
    consent: 'yes',
    noted: ['substances'],
    answers: {
      substances: a('wine', 'alcohol'),
      frequency: a('most nights', 'daily'),
      withdrawal: a("I've never tried to stop", 'unsure'),
      'recent-care': a('no', 'no'),
      'tried-before': a('no', 'none'),
      cravings: a('yeah kinda', 'sometimes'),
      'daily-life': a('my wife and i fight about it', 'some'),
      'mental-health': a('i get anxious', 'manageable'),
      medical: a('no', 'no'),
      home: a('yes mostly', 'mostly'),
      schedule: a('evenings', 'evening'),
    },
    level: 'detox',
  },
  {
    who: 'a pregnant Percocet user who gets sick when she stops, texting',
    channel: 'sms',
    opener: 'help me choose a program',
    consent: 'yes pls',
    answers: {
      substances: a('percs', 'opioids'),
      frequency: a('3-4 days a week', 'weekly'),
      withdrawal: a('yea i get sick', 'yes'),
      medical: a('im pregnant', 'yes'),
      home: a('no not really', 'no'),
    },
    level: 'detox',
  },
  {
    who: 'someone who rarely uses mushrooms and has bipolar disorder on meds',
    channel: 'webchat',
    opener: 'match me with a program',
    consent: 'go ahead',
    answers: {
      substances: a('something else, mostly mushrooms', 'other'),
      frequency: a('rarely', 'rarely'),
      'recent-care': a('nope', 'no'),
      'tried-before': a('nope', 'none'),
      cravings: a('nah', 'no'),
      'daily-life': a('none', 'little'),
      'mental-health': a('bipolar but im on meds', 'manageable'),
      home: a('yes', 'yes'),
      schedule: a('mornings work', 'day'),
    },
    level: 'outpatient',
  },
  {
    who: 'a daily user of alcohol and pills whose roommate deals, texting',
    channel: 'sms',
    opener: 'whats the best program for my situation',
    consent: 'k',
    answers: {
      substances: a('alcohol and pills', 'other'),
      frequency: a('every single day', 'daily'),
      withdrawal: a('i dont think so', 'no'),
      'recent-care': a('no', 'no'),
      'tried-before': a('no', 'none'),
      cravings: a('yes bad', 'yes'),
      'daily-life': a('a lot', 'severe'),
      'mental-health': a('no', 'no'),
      home: a('no, my roommate deals', 'no'),
    },
    level: 'residential',
  },
  {
    who: 'a weekly drinker who asks about hours mid-way and says it depends on work',
    channel: 'webchat',
    opener: 'can u help me figure out what i need',
    consent: 'yep',
    answers: {
      substances: a('beer mostly', 'alcohol'),
      frequency: a('couple times a week', 'weekly'),
      withdrawal: a('no never', 'no'),
      'recent-care': a('no', 'no'),
      'tried-before': a('yeah i went to counseling but it wasnt enough', 'outpatient-not-enough'),
      cravings: a('yes pretty strong', 'yes'),
      'daily-life': a('a bit', 'some'),
      'mental-health': a('nope', 'no'),
      home: a('yes', 'yes'),
      schedule: a('evenings since i work days', 'evening'),
    },
    side: { before: 'schedule', ask: 'are there evening groups?', expect: /evening/i },
    level: 'iop',
  },
  {
    who: 'an opioid user who gets sick and cannot sleep when stopping, starting answers with filler words, texting',
    channel: 'sms',
    opener: 'can you tell me what program i need',
    consent: 'ok',
    answers: {
      substances: a('roxies', 'opioids'),
      frequency: a('most of the week', 'daily'),
      withdrawal: a('um yeah, i get sick and cant sleep', 'yes'),
      medical: a('idk', 'no', 'no i dont think so'),
      home: a('i live alone', 'yes'),
    },
    level: 'detox',
  },
  {
    who: 'a cocaine user who says "yes" to having tried treatment and whose roommate smokes weed',
    channel: 'webchat',
    opener: 'which program would be best for me',
    consent: 'yes',
    answers: {
      substances: a('blow', 'stimulants'),
      frequency: a('like 2 nights a week', 'weekly'),
      withdrawal: a('well no', 'no'),
      'recent-care': a('nope', 'no'),
      'tried-before': a('yes', 'outpatient-not-enough', 'outpatient, it wasnt enough'),
      cravings: a('only when im stressed', 'sometimes'),
      'daily-life': a('im still working but its hard', 'some'),
      'mental-health': a('not diagnosed but probably', 'manageable'),
      home: a('my roommate smokes weed', 'no'),
    },
    level: 'residential',
  },
  {
    who: 'a night-shift worker who drinks after every shift, texting',
    channel: 'sms',
    opener: 'what kind of help do i need',
    consent: 'sure',
    answers: {
      substances: a('ive been drinking a lot', 'alcohol'),
      frequency: a('after every shift so like 5 days a week', 'daily'),
      withdrawal: a('i havent really tried to stop', 'unsure'),
      'recent-care': a('no', 'no'),
      'tried-before': a('ive been to rehab twice', 'iop-not-enough', '3'),
      cravings: a('hell yeah', 'yes'),
      'daily-life': a('not too bad', 'little'),
      'mental-health': a('no', 'no'),
      medical: a('high blood pressure', 'yes'),
      home: a('yeah its safe', 'yes'),
      schedule: a('days, i work nights', 'day'),
    },
    level: 'detox',
  },
  // Issue #15's kinds: a seizure told as what happened last time, negated signs, a finished IOP, mild withdrawal.
  {
    who: 'a daily benzo user whose last stop ended in a seizure, told as history at the withdrawal question',
    channel: 'webchat',
    opener: 'which program is right for me',
    consent: 'yes',
    answers: {
      substances: a('klonopin', 'benzos'),
      frequency: a('every day for years', 'daily'),
      withdrawal: a('when i ran out last spring i had a seizure and ended up in the ER', 'yes'),
      medical: a('no', 'no'),
      home: a('yes its just me and my wife, shes supportive', 'yes'),
    },
    level: 'detox',
  },
  {
    who: 'a weekend drinker who names the signs only to deny them',
    channel: 'sms',
    opener: 'what program do i need',
    consent: 'ok',
    answers: {
      substances: a('beer mostly', 'alcohol'),
      frequency: a('weekends', 'weekly'),
      withdrawal: a('no shakes or sweats, just a hangover', 'mild'),
      medical: a('no', 'no'),
      'recent-care': a('no', 'no'),
      'tried-before': a('never', 'none'),
      cravings: a('not really', 'no'),
      'daily-life': a('not much', 'little'),
      'mental-health': a('no', 'no'),
      home: a('yes', 'yes'),
      schedule: a('evenings', 'evening'),
    },
    level: 'outpatient',
  },
  {
    who: 'a parent whose home is sober, said as what is not there ("no booze in the house")',
    channel: 'webchat',
    opener: 'which program is right for me',
    consent: 'yes',
    answers: {
      substances: a('alcohol', 'alcohol'),
      frequency: a('most days', 'daily'),
      withdrawal: a('no', 'no'),
      'recent-care': a('no', 'no'),
      'tried-before': a('no first time', 'none'),
      cravings: a('sometimes', 'sometimes'),
      'daily-life': a('not much', 'little'),
      'mental-health': a('no', 'no'),
      home: a('yep, wife and two kids, no booze in the house', 'yes'),
      schedule: a('evenings', 'evening'),
    },
    level: 'iop',
  },
  {
    who: 'someone who just finished an IOP and wants the next step',
    channel: 'webchat',
    opener: 'which program is right for me',
    consent: 'sure',
    answers: {
      substances: a('alcohol', 'alcohol'),
      frequency: a('not drinking right now, 10 weeks sober', 'not-using'),
      'recent-care': a('i just finished my iop last week', 'iop-finished'),
      'tried-before': a('yes and it helped', 'it-helped'),
      cravings: a('sometimes, mostly on fridays', 'sometimes'),
      'daily-life': a('not really anymore, back at work', 'little'),
      'mental-health': a('no', 'no'),
      home: a('yes, my husband is supportive', 'yes'),
      schedule: a('evenings', 'evening'),
    },
    level: 'outpatient',
  },
];

// ------------------------------------------------------------------ harness

// Each in English and in Spanish (knowledge/es/): a Spanish visitor reads the Spanish.
const REASK = /didn't catch that|no le entendí/i;
const CONSENT = /not a diagnosis|no un diagnóstico/i;
const SUGGESTION = /would likely start with|probablemente empezaría con/i;
const catalogue = loadCatalogue(knowledgeDir());

/** Everything a visitor reads in a turn's replies: texts, card texts, button titles. */
function seen(activities: Array<Record<string, unknown>>): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (k !== 'value' && k !== 'type') walk(x);
  };
  for (const act of activities) {
    if (typeof act.text === 'string') out.push(act.text);
    walk(act.attachments);
    walk((act.suggestedActions as { actions?: unknown } | undefined)?.actions);
  }
  return out.join('\n');
}

/** The screening question a reply ends with (the one now waiting for an answer), if any. */
function questionIn(text: string): string | undefined {
  let best: { id: string; at: number } | undefined;
  for (const q of screening.questions) {
    const at = Math.max(text.lastIndexOf(q.text), text.lastIndexOf(catalogue.translate(q.text)));
    if (at >= 0 && (!best || at > best.at)) best = { id: q.id, at };
  }
  return best?.id;
}

/** The questions the rules ask for these choices, in order. */
function expectedQuestions(choices: ScreeningAnswers): string[] {
  const asked: ScreeningAnswers = {};
  const order: string[] = [];
  for (let q = screening.nextQuestion(asked); q; q = screening.nextQuestion(asked)) {
    order.push(q.id);
    const choice = choices[q.id];
    if (choice === undefined) break;
    asked[q.id] = choice;
  }
  return order;
}

const intended = (c: Conversation): ScreeningAnswers => Object.fromEntries(Object.entries(c.answers).map(([q, x]) => [q, x.means]));

const levelName = (level: LevelOfCare): string => screening.file.levels[level].name;

let conversationSeq = 0;

describe('whole screening conversations in visitors\' own words, over /api/messages', () => {
  const url = useApp();

  /**
   * Messages these conversations first used that the crisis net alarmed on (the classifier read
   * "take the quiz" as suicide, a parent's withdrawal answer as violence). Fixed with benign
   * examples in knowledge/safety/; they must stay quiet, while "take a lot of pills" still alarms.
   */
  describe('screening words that once set off the crisis net', () => {
    it.each([
      ['i want to take the quiz', 'an opener'],
      ['he gets the shakes and sweats when he stops', "a parent's answer to the withdrawal question"],
    ])('when a visitor writes %j (%s), then no crisis response comes', async (text) => {
      const res = await post(url(), activity({ text, conversation: { id: `screen-false-alarm-${++conversationSeq}` } }));
      expect(seen(res.activities)).not.toMatch(/988/);
    });

    it('when a visitor writes that they want to take a lot of pills, then the crisis response still comes', async () => {
      const res = await post(url(), activity({ text: 'i want to take a lot of pills', conversation: { id: `screen-false-alarm-${++conversationSeq}` } }));
      expect(seen(res.activities)).toMatch(/988/);
    });
  });

  describe('the expectations follow knowledge/screening.yaml (a check on this file, not on the bot)', () => {
    it.each(CONVERSATIONS.map((c) => [c.who, c] as const))('when %s answers as written, then the rules place the intended choices where the test expects', (_who, c) => {
      expect(screening.place(intended(c)).level).toBe(c.level);
      // Every answer given is for a question the flow asks, and every question asked has an answer.
      expect(expectedQuestions(intended(c)).sort()).toEqual(Object.keys(c.answers).sort());
    });
  });

  it.each(CONVERSATIONS.map((c) => [c.who, c.channel, c.level, c] as const))(
    'when %s (on %s) goes through the screening, then every answer is understood the first time and %s is suggested, for admissions to confirm',
    async (_who, channel, _level, c) => {
      const conversation = `screen-conv-${++conversationSeq}-${channel}`;
      const from = channel === 'sms' ? { id: `+1617555${String(1000 + conversationSeq).slice(-4)}` } : { id: `visitor-${conversationSeq}` };
      const transcript: string[] = [];
      const say = async (text: string): Promise<string> => {
        const res = await post(url(), activity({ text, channelId: channel, conversation: { id: conversation }, from }));
        expect(res.status).toBe(200);
        const reply = seen(res.activities);
        transcript.push(`> ${text}`, reply.replace(/^/gm, '  '));
        return reply;
      };
      const problems: string[] = [];

      let reply = await say(c.opener);
      if (!CONSENT.test(reply)) {
        problems.push(`the opener ${JSON.stringify(c.opener)} did not bring the consent`);
        reply = await say('take the screening');
      }
      reply = await say(c.consent);
      const asked: string[] = [];
      const answered: Record<string, string> = {};
      let sideAsked = false;
      for (let guard = 0; guard < 20 && !SUGGESTION.test(reply); guard++) {
        const q = questionIn(reply);
        if (!q) {
          problems.push(`no question and no suggestion after ${JSON.stringify(transcript[transcript.length - 2])}`);
          break;
        }
        const answer = c.answers[q];
        if (!answer) {
          problems.push(`asked "${q}", which these answers should not lead to (answers so far: ${JSON.stringify(answered)})`);
          break;
        }
        if (REASK.test(reply)) {
          // Noted, then answered with the choice's own label so the rest of the conversation is still tried.
          problems.push(`re-asked "${q}" after ${JSON.stringify(transcript[transcript.length - 2])}`);
          reply = await say(screening.question(q)!.choices.find((x) => x.id === answer.means)!.label);
          continue;
        }
        if (c.side && c.side.before === q && !sideAsked) {
          sideAsked = true;
          reply = await say(c.side.ask);
          if (!c.side.expect.test(reply)) problems.push(`the side question ${JSON.stringify(c.side.ask)} was not answered`);
          if (questionIn(reply) !== q) problems.push(`after the side question, "${q}" was not asked again`);
          continue;
        }
        asked.push(q);
        answered[q] = answer.say;
        reply = await say(answer.say);
        let final = answer.say;
        if (answer.then && questionIn(reply) === q && !REASK.test(reply)) {
          // The one gentle follow-up allowed for an honest non-choice ("idk", "yes" to "have you tried treatment before?").
          if (!/doesn't have to be exact|fits best/i.test(reply)) problems.push(`after ${JSON.stringify(answer.say)} to "${q}", no gentle follow-up`);
          final = answer.then;
          reply = await say(final);
        }
        // The core reads the words as the intended choice (a misreading may not change the flow, so it is checked here).
        const read = screening.parseAnswer(screening.question(q)!, final);
        if (read !== null && read !== answer.means) problems.push(`read ${JSON.stringify(final)} to "${q}" as "${read}", not "${answer.means}"`);
      }
      const expected = expectedQuestions(intended(c)).filter((q) => !c.noted?.includes(q));
      if (!SUGGESTION.test(reply)) problems.push('the screening did not finish with a suggestion');
      else if (JSON.stringify(asked) !== JSON.stringify(expected)) problems.push(`asked ${asked.join(', ')}; expected ${expected.join(', ')}`);
      for (const q of c.noted ?? []) {
        const label = screening.question(q)!.choices.find((x) => x.id === c.answers[q]!.means)!.label;
        if (!transcript.some((line) => /I've noted|anoté/.test(line) && (line.includes(label) || line.includes(catalogue.translate(label))))) problems.push(`"${q}" was not said back as noted (${label})`);
      }
      if (problems.length) throw new Error(`${problems.join('; ')}\n\n${transcript.join('\n')}`);

      if (c.spanish) {
        // The same, in Spanish, and no English sentence left in the suggestion.
        expect(reply).toContain(`usted probablemente empezaría con ${catalogue.translate(levelName(c.level))}`);
        expect(reply).toMatch(/sugerencia, no un diagnóstico/i);
        expect(reply).toMatch(/equipo de admisiones confirma/i);
        expect(reply).toMatch(/Hablar con una persona/);
        expect(reply).toContain('920-6583');
        expect(reply).not.toMatch(/\b(?:you|the|told|would|with|and)\b/);
        return;
      }
      // The suggestion: the level, said as a suggestion that admissions confirms, with a person offered.
      expect(reply).toContain(`you would likely start with ${levelName(c.level)}`);
      expect(reply).toMatch(/suggestion, not a diagnosis/i);
      expect(reply).toMatch(/admissions team confirms/i);
      expect(reply).toMatch(/talk to a person/i);
      expect(reply).toContain('920-6583');
    },
  );
});
