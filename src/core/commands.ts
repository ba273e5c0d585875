import { basicNormalize } from './text/normalize';

/**
 * Global commands, recognized on the whole message before any dialog or
 * intent so that "help", "start over", "cancel" or "talk to a person" work
 * in every state of the conversation.
 */
export type Command = 'help' | 'start-over' | 'cancel' | 'talk-to-person' | 'none-of-these' | 'start-screening' | 'forget-me';

const POLITE = '(?:(?:ok|okay|um|uh|hey|hi|please|pls|plz|just|i want to|i wanna|i would like to|id like to|can i|can we|could i|let me|lets|let us)\\s+)*';
const TAIL = '(?:\\s+(?:please|pls|plz|now|thanks|thank you))*';
const whole = (body: string) => new RegExp(`^${POLITE}(?:${body})${TAIL}$`);

const WHO = '(?:i|me|my (?:son|daughter|kid|child|husband|wife|partner|boyfriend|girlfriend|brother|sister|mom|dad|mother|father|friend|loved one)|he|she|they|him|her|them)';
const WHICH_PROGRAM =
  '(?:can you tell me |help me figure out |i want to know |i need to know |not sure )?(?:what|which)(?: kind of| type of| sort of| level of)? (?:program|treatment|level of care|care|help)' +
  ` (?:do|does|should|would|will) ${WHO} (?:need|do|go to|start with|start|be in|join)|(?:what|which)(?: kind of| type of| sort of)? (?:program|treatment) (?:is|would be) (?:right|best|good) for ${WHO}` +
  `|(?:can you tell me|help me figure out|i want to know|i need to know|not sure|i dont know|i do not know) (?:what|which)(?: kind of| type of| sort of| level of)? (?:program|treatment|level of care|care|help) ${WHO} (?:need|needs|should do|should go to)`;

const PATTERNS: Array<[Command, RegExp]> = [
  ['forget-me', whole('forget me|forget about me|delete my data|delete my information|delete my info|erase my data|delete everything|erase everything|forget everything|remove my data|delete my answers|forget my answers')],
  ['help', whole('help|help me|menu|options|commands|what can you do|what can i ask|what do you do|how does this work|\\?+')],
  ['start-over', whole('start over|start again|restart|reset|begin again|start from the beginning|from the top|start fresh|new conversation')],
  ['cancel', whole('cancel|stop|cancel that|stop that|never mind|nevermind|nvm|forget it|quit|exit|stop it|stop this|i am done|im done')],
  [
    'talk-to-person',
    new RegExp(
      [
        '\\b(?:talk|speak|chat|connect me|connect|put me through)\\s+(?:to|with)\\s+(?:a|an|some|someone|somebody|real|live|actual|human|person|staff|counsel+or|admissions?|the admissions?|intake|agent|representative|rep|operator|nurse|specialist)',
        '\\b(?:real|live|actual)\\s+(?:person|human|people|agent)',
        '\\b(?:human|agent|representative|operator)\\b(?:\\s+please)?$',
        '\\bcall me\\b',
        '\\bcan (?:someone|somebody|a person) (?:call|help|text) me\\b',
        '^(?:talk to a person|talk to someone|person|a person)$',
      ].join('|'),
    ),
  ],
  [
    'start-screening',
    whole('(?:start|begin|take|do|continue|resume|restart)(?: the| a| my)? (?:screening|screen|self screen|self screening|assessment|questionnaire|quiz)|screening|self screen|continue screening|resume screening|continue|resume|keep going'),
  ],
  // "What program should my daughter do?", "what kind of program do I need": the question the screening answers.
  ['start-screening', whole(WHICH_PROGRAM)],
  ['none-of-these', whole('none of these|none of those|none of them|none of the above|none|neither|not these|nope none|something else|other')],
];

export function detectCommand(text: string): Command | null {
  const t = basicNormalize(text);
  if (!t) return null;
  for (const [command, pattern] of PATTERNS) if (pattern.test(t)) return command;
  return null;
}
