import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { KnowledgeFileError, knowledgeDir } from '../../../src/core/knowledge/load';
import { Screening } from '../../../src/core/screening/screening';
import { loadStaffSummary, STAFF_SUMMARY_FILE, staffSummary, type StaffSummaryFile } from '../../../src/core/screening/staffSummary';

const screening = Screening.fromFile(path.join(knowledgeDir(), 'screening.yaml'));
const shippedFile = path.join(knowledgeDir(), STAFF_SUMMARY_FILE);
const SECOND_PERSON = /\b(?:you|your|yours|yourself|you're|you've)\b/i;

describe('knowledge/staff-summary.yaml', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gbac-staff-summary-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The shipped file, changed, written to a temporary folder. */
  function edited(change: (data: StaffSummaryFile) => void): string {
    const data = parse(readFileSync(shippedFile, 'utf8')) as StaffSummaryFile;
    change(data);
    const file = path.join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, stringify(data));
    return file;
  }

  const problemsOf = (file: string): string => {
    try {
      loadStaffSummary(file, screening.file);
    } catch (err) {
      expect(err).toBeInstanceOf(KnowledgeFileError);
      return (err as Error).message;
    }
    throw new Error('the file loaded');
  };

  it('when the shipped file is loaded, then it has a staff phrase for every answer the visitor is quoted, and none says "you"', () => {
    const content = loadStaffSummary(shippedFile, screening.file);
    for (const q of screening.file.questions) for (const c of q.choices) if (c.reason) expect(content.answers[q.id]?.[c.id]).toBeTruthy();
    const all = [...Object.values(content.levels), ...Object.values(content.answeredBy), ...Object.values(content.answers).flatMap((c) => Object.values(c))];
    for (const text of all) expect(text).not.toMatch(SECOND_PERSON);
  });

  it('when a key names no question of screening.yaml, then loading fails naming it', () => {
    expect(problemsOf(edited((d) => (d.answers['how-often'] = { daily: 'uses daily' })))).toContain('answers.how-often: no such question');
  });

  it('when a key names no choice of its question, then loading fails naming it', () => {
    expect(problemsOf(edited((d) => (d.answers.frequency!['hourly'] = 'uses every hour')))).toContain('answers.frequency.hourly: question "frequency" has no choice "hourly"');
  });

  it('when a choice the visitor is quoted has no staff phrase, then loading fails naming it', () => {
    expect(problemsOf(edited((d) => delete d.answers.cravings!['sometimes']))).toContain('answers.cravings.sometimes: missing');
  });

  it('when a phrase is written to the visitor ("you"), then loading fails', () => {
    expect(problemsOf(edited((d) => (d.answers.frequency!.daily = "you're using every day")))).toMatch(/third person/);
  });
});

describe('the staff summary of a screening', () => {
  const content = loadStaffSummary(shippedFile, screening.file);
  const at = new Date('2025-05-01T14:00:00Z');

  it('when a visitor who uses daily and found weekly therapy not enough is placed in IOP, then staff read the level, who answered and the reasons in the third person', () => {
    const answers = { substances: 'alcohol', frequency: 'daily', withdrawal: 'no', 'recent-care': 'no', 'tried-before': 'outpatient-not-enough', cravings: 'sometimes', 'daily-life': 'little', 'mental-health': 'no', home: 'yes', schedule: 'evening' };
    const result = screening.result(answers, at, at);
    expect(result.level).toBe('iop');
    const s = staffSummary(result, content, screening.file);
    expect(s.suggested).toBe('Suggested: IOP');
    expect(s.answeredBy).toBe('Answered by the person seeking care');
    // The answers the visitor was quoted, in the rule's order; the rest under "Also", in the order asked.
    expect(s.because).toEqual(["weekly therapy or outpatient wasn't enough", 'cravings at times', 'uses every day or almost', 'home is safe, drug-free and supportive']);
    expect(s.also).toEqual([
      'alcohol is the main substance',
      'no withdrawal symptoms on stopping',
      'no recent detox, residential, PHP or IOP',
      'little or no effect on daily life',
      'no mental health concern reported',
      'prefers evening sessions',
    ]);
    expect(s.text).toBe(
      "Suggested: IOP. Answered by the person seeking care. The visitor said: weekly therapy or outpatient wasn't enough; cravings at times; uses every day or almost; home is safe, drug-free and supportive. " +
        'Also: alcohol is the main substance; no withdrawal symptoms on stopping; no recent detox, residential, PHP or IOP; little or no effect on daily life; no mental health concern reported; prefers evening sessions.',
    );
    expect(s.text).not.toMatch(SECOND_PERSON);
  });

  it('when someone answered for another person, then the summary says so, and still never "you" or "they"', () => {
    const result = screening.result({ substances: 'opioids', frequency: 'daily', withdrawal: 'yes', medical: 'no', home: 'mostly' }, at, at, true);
    expect(result.level).toBe('detox');
    const s = staffSummary(result, content, screening.file);
    expect(s.suggested).toBe('Suggested: detox first (by referral)');
    expect(s.answeredBy).toBe('Answered for someone else');
    expect(s.because.slice(0, 2)).toEqual(['withdrawal symptoms on stopping (shakes, sweats, vomiting, seizures or hallucinations)', 'uses every day or almost']);
    expect(s.text).not.toMatch(SECOND_PERSON);
    expect(s.text).not.toMatch(/\bthey\b/i);
  });

  it('when a result names a rule the file no longer has, then every answer is listed under "Also"', () => {
    const result = { ...screening.result({ frequency: 'weekly', home: 'yes' }, at, at), rule: 'retired-rule' };
    const s = staffSummary(result, content, screening.file);
    expect(s.because).toEqual([]);
    expect(s.also).toEqual(['uses a few times a week', 'home is safe, drug-free and supportive']);
  });
});
