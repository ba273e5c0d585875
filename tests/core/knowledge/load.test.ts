import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { checkKnowledgeBase } from '../../../src/core/knowledge/check';
import { KnowledgeFileError, knowledgeDir, loadKnowledgeBase } from '../../../src/core/knowledge/load';

/** A scratch copy of knowledge/ that a test may break. */
function scratch(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gbac-kb-'));
  cpSync(knowledgeDir(), dir, { recursive: true });
  return dir;
}
function editFaq(dir: string, edit: (faq: { entries: Array<Record<string, unknown>> }) => void): void {
  const file = path.join(dir, 'faq.yaml');
  const faq = parse(readFileSync(file, 'utf8'));
  edit(faq);
  writeFileSync(file, stringify(faq));
}

describe('the knowledge base', () => {
  it('when the shipped files are checked, then they load and prove their link to the guide', () => {
    const kb = loadKnowledgeBase();
    const report = checkKnowledgeBase(kb);
    expect(report.problems).toEqual([]);
    expect(report.stats.faqQuestions).toBe(5);
    expect(report.stats.entries).toBeGreaterThanOrEqual(35);
  });

  it('when an entry has a broken field, then loading fails naming the file, the entry and the field', () => {
    const dir = scratch();
    try {
      editFaq(dir, (faq) => {
        faq.entries[2]!.answer = '';
      });
      const id = (parse(readFileSync(path.join(dir, 'faq.yaml'), 'utf8')) as { entries: Array<{ id: string }> }).entries[2]!.id;
      expect(() => loadKnowledgeBase(dir)).toThrow(KnowledgeFileError);
      expect(() => loadKnowledgeBase(dir)).toThrow(new RegExp(`faq\\.yaml: entry entries\\[2\\] \\(id: ${id}\\), field "answer"`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when a file is not valid YAML, then loading fails naming the file', () => {
    const dir = scratch();
    try {
      writeFileSync(path.join(dir, 'messages.yaml'), 'admissions: [unclosed');
      expect(() => loadKnowledgeBase(dir)).toThrow(/messages\.yaml: not valid YAML/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when a follow-up or a source section does not exist, then loading fails naming both', () => {
    const dir = scratch();
    try {
      editFaq(dir, (faq) => {
        faq.entries[0]!.followUps = ['no-such-entry'];
        faq.entries[1]!.source = ['no-such-section'];
      });
      let message = '';
      try {
        loadKnowledgeBase(dir);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/field "followUps\.0": no entry "no-such-entry"/);
      expect(message).toMatch(/field "source\.0": no section "no-such-section"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when two entries claim one phrase, a FAQ question is unmapped, or an answer invents a price, then kb:check reports each', () => {
    const dir = scratch();
    try {
      editFaq(dir, (faq) => {
        const first = faq.entries[0] as { questions: string[] };
        const second = faq.entries[1] as { questions: string[]; answer: string };
        second.questions.push(first.questions[1]!);
        second.answer = 'It costs $450 a week, billed to insurance.';
        const faqEntry = faq.entries.find((e) => (e.questions as string[])[0] === 'Is family involved in the IOP process?') as { questions: string[] };
        faqEntry.questions.shift();
      });
      const report = checkKnowledgeBase(loadKnowledgeBase(dir));
      const all = report.problems.join('\n');
      expect(all).toMatch(/is also claimed by/);
      expect(all).toMatch(/FAQ question "Is family involved in the IOP process\?" maps to no entry/);
      expect(all).toMatch(/states the number 450/);
      expect(all).toMatch(/states a price/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when a lexicon topic can never match, then kb:check reports it', () => {
    const dir = scratch();
    try {
      const file = path.join(dir, 'lexicon.yaml');
      const lexicon = parse(readFileSync(file, 'utf8'));
      lexicon.topics.push('zeppelin');
      writeFileSync(file, stringify(lexicon));
      expect(checkKnowledgeBase(loadKnowledgeBase(dir)).problems.join('\n')).toMatch(/topic "zeppelin" is neither a synonyms key nor a word of any question/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when the SMS "shortened" note drops the admissions number, then kb:check reports it', () => {
    const dir = scratch();
    try {
      const file = path.join(dir, 'messages.yaml');
      const messages = parse(readFileSync(file, 'utf8'));
      messages.messages.smsShortened.text = '(Message shortened.)';
      writeFileSync(file, stringify(messages));
      expect(checkKnowledgeBase(loadKnowledgeBase(dir)).problems.join('\n')).toMatch(/smsShortened must give the admissions line/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
