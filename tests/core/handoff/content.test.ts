import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fill, loadHandoffContent } from '../../../src/core/handoff/content';
import { knowledgeDir } from '../../../src/core/knowledge/load';

describe('knowledge/handoff.yaml', () => {
  it('when the shipped file is loaded, then every text carries the admissions line where it promises to', () => {
    const c = loadHandoffContent(path.join(knowledgeDir(), 'handoff.yaml'));
    for (const t of [c.offer.text, c.consentDeclined, c.received, c.live, c.notNow, c.giveUp, c.failed]) expect(t).toContain('{{admissions}}');
    expect(c.received).toContain('{{reference}}');
  });

  it('when a field is missing or empty, then loading fails naming the file and the field', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gbac-handoff-content-'));
    try {
      const file = path.join(dir, 'handoff.yaml');
      const text = readFileSync(path.join(knowledgeDir(), 'handoff.yaml'), 'utf8').replace(/^askPhone: .*$/m, 'askPhone: ""');
      writeFileSync(file, text);
      expect(() => loadHandoffContent(file)).toThrow(/handoff\.yaml[\s\S]*askPhone/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when a template is filled, then known placeholders are replaced and unknown ones stay visible', () => {
    expect(fill('Hi {{name}}, call {{admissions}} {{oops}}', { name: 'Sam', admissions: '(877) 920-6583' })).toBe('Hi Sam, call (877) 920-6583 {{oops}}');
  });
});
