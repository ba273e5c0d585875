import { SafetyFollowUps } from '../../../src/core/safety/followUps';
import { basicNormalize } from '../../../src/core/text/normalize';

/** Questions about crisis help and harm reduction (knowledge/safety/follow-ups.yaml `resources`), by kind. */
const followUps = SafetyFollowUps.load();
const answered = (text: string) => followUps.answers(basicNormalize(text)).map((r) => r.id);

describe('answers about crisis help and harm reduction', () => {
  it.each([
    ['is it dangerous if my mom just stops her klonopin', 'stopping-alone'],
    ['is it ok for him to quit drinking all at once', 'stopping-alone'],
    ['can the doctor take my dad off the valium right away', 'stopping-alone'],
    ['are the shakes dangerous or will they pass', 'stopping-alone'],
    ['i figure ill just taper the bars myself over a few days', 'stopping-alone'],
    ['if i call 911 for my friend will the cops arrest us', 'good-samaritan'],
    ['its 3am is there any 24 hour number i can call', 'line-any-hour'],
    ['could i just detox at home this weekend', 'stopping-alone'],
    ['im pregnant, would quitting the percs hurt the baby', 'stopping-alone'],
    ['can she take her ativan with a glass of wine', 'mixing'],
    ['is a beer on my oxy ok', 'mixing'],
    ['will 988 send police to my house', '988-what-happens'],
    ['what happens if i text 988', '988-what-happens'],
    ['i shoot up by myself in my room so nobody walks in', 'using-alone'],
    ['mi hijo se inyecta solo en el bano', 'using-alone'],
    ['how do i get fentanyl test strips', 'fentanyl-in-supply'],
    ['my son buys pills off snapchat and i think they might be fentanyl', 'fentanyl-in-supply'],
    ['is it ok to drink on my klonopin', 'mixing'],
  ])('when someone asks %j, then the %s answer comes from its public source', (text, id) => {
    expect(answered(text)).toContain(id);
  });

  it.each(['my husband stopped drinking two years ago and is doing great', 'do you have groups for people who quit benzos', 'what does your program do for families', 'i cant do this alone', 'i never use alone anymore'])(
    'when a message only mentions stopping or a program (%j), then no safety answer is given',
    (text) => {
      expect(answered(text)).toEqual([]);
    },
  );
});

describe('mixing alcohol with pills (follow-ups.yaml mixing)', () => {
  it.each(['he drinks and takes percs every night is that dangerous', 'she had a few beers then took her klonopin', 'can i take xanax with a couple beers'])(
    'when a message tells or asks about taking them together ("%s"), then the mixing answer is given',
    (text) => {
      expect(answered(text)).toContain('mixing');
    },
  );

  it.each(['Cocaine too, or just opioids and alcohol?', 'do you treat people who use xanax and alcohol', '¿atienden a personas con problemas de alcohol y pastillas?'])(
    'when the substances are named to ask what is treated ("%s"), then there is no mixing answer',
    (text) => {
      expect(answered(text)).not.toContain('mixing');
    },
  );
});
