import path from 'node:path';
import { CrisisDetector, loadCrisisFile } from '../../../src/core/safety/crisis';
import { tierOf } from '../../../src/core/safety/tiers';

// The patterns alone (no classifier): what the content of knowledge/crisis.yaml decides.
const CRISIS_FILE = path.join(__dirname, '..', '..', '..', 'knowledge', 'crisis.yaml');
const detector = new CrisisDetector(loadCrisisFile(CRISIS_FILE), CRISIS_FILE);

describe('safety tiers (issue "safety in context")', () => {
  it.each([
    ['he is not breathing and his lips are blue', 'emergency'],
    ['i want to kill myself tonight', 'suicide'],
    ['my boyfriend is hitting me right now', 'harm'],
    ['my mom leaves my little brother alone for days when shes using, hes 4', 'harm'],
    ['i drink a fifth a day and want to stop tomorrow on my own', 'withdrawal'],
    ['dope sick since yesterday, legs wont stop', 'withdrawal'],
    ['got out of detox monday and i wanna use tonight', 'withdrawal'],
    ['she takes her xanax with wine every night', 'withdrawal'],
    ['im worried hes going to overdose one day', 'concern'],
    ['i dont know if i can do this anymore', 'suicide'],
    ['idk if i can keep going like this', 'suicide'],
  ])('when a visitor writes "%s", then the tier is %s', (text, tier) => {
    expect(tierOf(detector, text)).toBe(tier);
  });

  it('when withdrawal comes with a severe sign, then the emergency wins', () => {
    expect(tierOf(detector, 'quit drinking cold turkey 2 days ago and now hes having a seizure')).toBe('emergency');
  });
});

describe('risk named only to say it is absent or over', () => {
  it.each([
    'No thoughts of self harm, I just want to talk to someone about my coke use',
    'nobody overdosed, im asking about your hours',
    'cocaine on weekends, no chest pain, just want to stop',
    'I had a suicide attempt in 2015. I have been stable since with therapy.',
    'i dont know if i can keep going to meetings after work',
    'i dont know if i can stay sober',
  ])('when a visitor writes "%s", then no alarm is raised', (text) => {
    expect(detector.detect(text)).toBeNull();
  });

  it.each([
    ['no. i want to die', 'suicide'],
    ['no one would care if i overdosed tonight', 'suicide'],
    ["I'm not suicidal but I took 30 pills", 'overdose'],
    ['I had a suicide attempt in 2015.', 'suicide'],
  ])('when "%s" is written, then the risk still alarms (%s)', (text, kind) => {
    expect(detector.detect(text)?.kind).toBe(kind);
  });
});
