import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CrisisDetector, loadCrisisFile, type CrisisKind } from '../../../src/core/safety/crisis';
import { CrisisFileSchema, type CrisisFile } from '../../../src/core/safety/schema';

const ROOT = path.join(__dirname, '..', '..', '..');
const CRISIS_FILE = path.join(ROOT, 'knowledge', 'crisis.yaml');
const file = loadCrisisFile(CRISIS_FILE);
const detector = new CrisisDetector(file, CRISIS_FILE);
const unguarded = new CrisisDetector({ ...file, questionGuard: undefined }, CRISIS_FILE);

describe('the question guard (questions ABOUT a topic)', () => {
  it.each([
    'do you screen new clients for suicidal ideation',
    'how do your staff respond if a client has a seizure in group',
    'what should i do if my brother ever stops breathing after using',
    'do you have resources for teens living with domestic violence',
    'does the family program cover talking to a loved one about suicide',
    'how do your doctors tell the difference between withdrawal and a heart attack',
    'can alcohol withdrawal cause hallucinations',
    'cuales son las senales de una sobredosis',
    'ofrecen apoyo para familias que viven violencia domestica',
  ])('when a visitor asks "%s", then the patterns raise no alarm', (text) => {
    expect(detector.detect(text)).toBeNull();
  });

  it('when the guard is removed, then the same questions alarm (the guard, not a missing pattern, is what keeps them quiet)', () => {
    expect(unguarded.detect('do you screen new clients for suicidal ideation')).not.toBeNull();
    expect(unguarded.detect('do you have resources for teens living with domestic violence')).not.toBeNull();
  });

  it.each([
    ['how many pills would it take to not wake up', 'suicide'],
    ["what do i do my friend isn't breathing", 'overdose'],
    ['is it normal to see bugs crawling on the walls 2 days after quitting drinking', 'withdrawal-emergency'],
    ['do you help people who want to die? because thats me', 'suicide'],
    ['do you screen for suicide? i have been having suicidal thoughts lately', 'suicide'],
    ['do you treat people who are suicidal? asking for myself', 'suicide'],
    ['how do you handle someone who is overdosing right now', 'overdose'],
    ['do you offer detox? my dad stopped drinking yesterday and is having a seizure', 'withdrawal-emergency'],
    ['what should i do if my son is not breathing', 'overdose'],
    ['is there a group for domestic violence, my boyfriend just choked me', 'violence'],
    ['do you accept medicaid? i took 40 tylenol an hour ago', 'overdose'],
    ['hablan de suicidio en el grupo? yo quiero matarme', 'suicide'],
    ['atienden a personas con convulsiones? mi papa esta convulsionando ahorita', 'withdrawal-emergency'],
  ] as Array<[string, CrisisKind]>)('when a real emergency is phrased as a question ("%s"), then it still alarms (%s)', (text, kind) => {
    expect(detector.detect(text)?.kind).toBe(kind);
  });

  it('when a guarded question is followed by an emergency in another sentence, then only the question is hidden', () => {
    expect(detector.detect('do you take masshealth? my husband is blue and wont wake up')?.kind).toBe('overdose');
    expect(detector.detect('what are the signs of an overdose. she took something and her lips are blue')?.kind).toBe('overdose');
  });

  it('when a comma starts a new clause after a guarded question, then that clause is checked; a comma in a list is not a new clause', () => {
    expect(detector.detect('do you have a chaplain, i want to make peace with god before i go')?.kind).toBe('suicide');
    expect(detector.detect('do u take bcbs, i wont need it after friday anyway')?.kind).toBe('suicide');
    expect(detector.detect('do you take masshealth, and i already wrote the letters to my kids')?.kind).toBe('suicide');
    expect(detector.detect('do you have resources for families dealing with suicide, overdose, and domestic violence')).toBeNull();
    expect(detector.detect('do you treat depression, anxiety, and suicidal thoughts')).toBeNull();
    expect(detector.detect('hi, do you screen for suicidal ideation at intake')).toBeNull();
  });

  it('when the question frame comes after the alarming words, then the sentence is not a guarded question', () => {
    expect(detector.detect('he hit me, do you offer domestic violence resources')?.kind).toBe('violence');
  });
});

describe('past events that are over, and figures of speech (after blind set D)', () => {
  it.each([
    'i had a suicide attempt back in 2012 and have been doing well since, will that affect admission',
    'my mom overdosed over christmas three years ago and is doing great now, she wants to get help for her drinking',
    'i was in a violent relationship years ago and have a restraining order now, im safe now',
    'recovered from alcohol poisoning in college, now my drinking worries me again',
    'hace muchos anos intente suicidarme pero ahora estoy estable',
    'the waiting room tv is overdosing us on cooking shows',
    'my daughter will kill me for reaching out to you but she needs help',
  ])('when a visitor writes "%s", then the patterns raise no alarm', (text) => {
    expect(detector.detect(text)).toBeNull();
  });

  it('when a past attempt lacks a time long ago or a sign it is over, or something current follows, then it still alarms', () => {
    expect(detector.detect('i attempted suicide last week')?.kind).toBe('suicide');
    expect(detector.detect('i attempted suicide years ago')?.kind).toBe('suicide');
    expect(detector.detect('i attempted suicide years ago and have been stable since, but now i want to die again')?.kind).toBe('suicide');
  });
});

describe('concepts added after blind set D', () => {
  it.each([
    ['not planning on sticking around past the holidays, so skip my intake', 'suicide'],
    ['if you cant get me in by monday im done, for real', 'suicide'],
    ['sitting in the car in the garage with a hose from the exhaust', 'suicide'],
    ['been staring at a bottle of advil for hours', 'suicide'],
    ['i keep driving to the bridge and just standing there', 'suicide'],
    ['if you come over tomorrow dont come in, call the police', 'suicide'],
    ['please cancel the appointment, i wont be needing it. thank you for trying', 'suicide'],
    ['no creo que llegue al domingo', 'suicide'],
    ['my friend is kind of blue on the floor', 'overdose'],
    ['my toddler drank some of my methadone', 'overdose'],
    ['mi nene se tomo mis pastillas', 'overdose'],
    ['quit drinking two days ago and woke up on the floor, bit my tongue', 'withdrawal-emergency'],
    ['mi papa dejo de tomar y no reconoce a nadie', 'withdrawal-emergency'],
    ['my boyfriend threw a frying pan at me', 'violence'],
    ['im afraid of what i might do to my kids', 'violence'],
    ['he said hed put my brother in the ground', 'violence'],
    ['a kid told my daughter hes bringing a gun tomorrow', 'violence'],
    ['mi hijo amenaza con quemar la casa', 'violence'],
  ] as Array<[string, CrisisKind]>)('when a visitor writes "%s", then a %s signal is raised', (text, kind) => {
    expect(detector.detect(text)?.kind).toBe(kind);
  });
});

describe('concepts added after blind set E', () => {
  it.each([
    ['been googling how high the zakim bridge is, dont worry about it', 'suicide'],
    ['nearly steered into a semi on purpose on the way home', 'suicide'],
    ['cancel my intake, i wont need it after this weekend', 'suicide'],
    ['its either a bed tonight or i end it', 'suicide'],
    ['i let everyone down again, time to make it permanent. cant face them', 'suicide'],
    ['i keep carving lines into my thigh, one for every drink', 'suicide'],
    ['my dad keeps telling me where the will and the deed are and cleans his rifle every night', 'suicide'],
    ['grandma says shes ready to go and wants all her sleeping pills brought to her', 'suicide'],
    ['r u open sat? i need a bed this wknd or im done 4 good', 'suicide'],
    ['de que sirve el detox si no pienso seguir aqui el mes que viene', 'suicide'],
    ['my uncle drank from a jug he thought was water but it was antifreeze', 'overdose'],
    ['me meti mas de la cuenta y siento que me estoy apagando', 'overdose'],
    ['day 2 off the booze and theres roaches everywhere, hands going nuts', 'withdrawal-emergency'],
    ['llevo dos dias sin beber y escucho voces en el cuarto', 'withdrawal-emergency'],
    ['a guy at my job says hes bringing his rifle to the office monday to settle things', 'violence'],
    ['his ex says she knows where we live and shes coming to finish it', 'violence'],
  ] as Array<[string, CrisisKind]>)('when a visitor writes "%s", then a %s signal is raised', (text, kind) => {
    expect(detector.detect(text)?.kind).toBe(kind);
  });

  it.each([
    'what medication do you give to prevent alcohol withdrawal seizures',
    'are hallucinations common in benzo withdrawal or is that rare',
    'the first time i detoxed i had the shakes really bad, that was years ago',
    'whats the difference between overdosing and just nodding off',
    'the show we watched had an overdose scene, anyway how do i book an assessment',
    'our team is running a 5k for suicide prevention in october',
    'my cousin died by suicide years ago and my drinking got worse after, can i get help',
    'i used to cut in college but havent in years, will that come up at intake',
    'my stepdad used to hit us when he was drinking, hes been gone a long time now',
    'this humidity is going to be the death of me',
    'my sister is going to kill me, i forgot to tell her about family night',
    'mi papa era agresivo cuando tomaba, ya murio, y no quiero repetir la historia',
  ])('when a visitor writes "%s" (a topic, a story that is over, an idiom), then the patterns raise no alarm', (text) => {
    expect(detector.detect(text)).toBeNull();
  });

  it('when a quiet frame shares the message with a live sign, then it still alarms', () => {
    expect(detector.detect('are hallucinations normal in withdrawal? my husband quit friday and is seeing bugs on the walls')?.kind).toBe('withdrawal-emergency');
    expect(detector.detect('i overdosed in my twenties, and today i took 30 pills')?.kind).toBe('overdose');
    expect(detector.detect('my cousin died by suicide years ago and now i want to kill myself too')?.kind).toBe('suicide');
    expect(detector.detect('this heat is the death of me. my boyfriend is choking me')?.kind).toBe('violence');
  });

  it('when "not coming to" is about an appointment, then it is not read as unconsciousness', () => {
    expect(detector.detect('im not coming to group thursday, my car is in the shop')).toBeNull();
    expect(detector.detect('he took something and hes not coming to')?.kind).toBe('overdose');
  });
});

describe('question guard content errors', () => {
  const good = parseYaml(readFileSync(CRISIS_FILE, 'utf8')) as CrisisFile;

  it('when the guard has no emergency markers, then loading fails and says why', () => {
    const broken = structuredClone(good);
    broken.questionGuard!.emergencies = [];
    const result = CrisisFileSchema.safeParse(broken);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/emergency marker/);
  });

  it('when a guard question uses "&" or reuses an id, then the error names the entry and field', () => {
    const withAnd = structuredClone(good);
    withAnd.questionGuard!.questions[0]!.match = ['^ do you offer & suicide'];
    expect(() => new CrisisDetector(CrisisFileSchema.parse(withAnd), 'crisis.yaml')).toThrow(
      /questionGuard\.questions\[0\] \(id: [a-z-]+\), field "match\[0\]": "&" is for patterns and exceptions only/,
    );
    const dup = structuredClone(good);
    dup.questionGuard!.emergencies[0]!.id = good.patterns[0]!.id;
    const result = CrisisFileSchema.safeParse(dup);
    expect(result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      `questionGuard.emergencies.0.id: duplicate id (already used by patterns[0])`,
    ]);
  });
});
