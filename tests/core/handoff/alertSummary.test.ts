import { alertSummary, consoleLink, firstName, LINK_REMOVED, plainText } from '../../../src/core/handoff/alertSummary';
import * as path from 'node:path';
import { CONTACT_PREFERENCES_FILE, loadContactPreferences, useContactPreferences } from '../../../src/core/handoff/contactPreferences';
import type { HandoffRequest } from '../../../src/core/handoff/handoffRequest';
import { knowledgeDir } from '../../../src/core/knowledge/load';
import { fullRequest, LINKY_TEXTS, ORDINARY_TEXTS, PHONE, PRIVATE_BITS } from './helpers';

function stored(overrides: Partial<HandoffRequest> = {}): HandoffRequest {
  const now = new Date().toISOString();
  return { ...fullRequest(), language: 'en', id: 'req-1', reference: 'GB-7K2Q9', status: 'open', createdAt: now, updatedAt: now, ...overrides };
}

describe('alert summary', () => {
  it('when a request is summarised for staff, then only priority, first name, level, best time, reason and reference remain', () => {
    const s = alertSummary(stored(), 'https://bot.example.org/');
    expect(s).toMatchObject({ reference: 'GB-7K2Q9', priority: 'crisis', firstName: 'Sam', suggestedLevel: 'iop', bestTime: 'evenings after 6', reason: 'screening-completed' });
    expect(s.url).toBe('https://bot.example.org/staff#/requests/req-1');
    const json = JSON.stringify(s);
    for (const bit of PRIVATE_BITS) expect(json).not.toContain(bit);
  });

  it('when the visitor was answered in Spanish, then the summary says so (the language only, never a message)', () => {
    const s = alertSummary(stored({ language: 'es' }));
    expect(s.language).toBe('es');
    const json = JSON.stringify(s);
    for (const bit of PRIVATE_BITS) expect(json).not.toContain(bit);
    expect(alertSummary(stored()).language).toBe('en');
  });

  it('when no public address is configured, then the summary has no link', () => {
    expect(alertSummary(stored()).url).toBeUndefined();
    expect(consoleLink(undefined, 'x')).toBeUndefined();
  });

  it('when a visitor typed markup or a link as their name, then staff see plain words', () => {
    expect(firstName('[Click me](https://evil.example) Smith')).toBe('Click');
    expect(firstName('  **Ana**  María ')).toBe('Ana');
    expect(plainText('<b>after\n6</b>', 80)).toBe('bafter 6/b');
    expect(firstName('   ')).toBeUndefined();
    expect(firstName(undefined)).toBeUndefined();
  });

  it.each(LINKY_TEXTS)('when a visitor typed a link ("$text") in their best time or name, then the summary has none of it', ({ text, mustNotShow }) => {
    const s = alertSummary(stored({ bestTime: text, name: text }), 'https://bot.example.org');
    expect(s.bestTime).toContain(LINK_REMOVED);
    const visitorText = JSON.stringify({ bestTime: s.bestTime, firstName: s.firstName });
    for (const bit of mustNotShow) expect(visitorText.toLowerCase()).not.toContain(bit.toLowerCase());
    // Ours, not the visitor's: the console link stays.
    expect(s.url).toBe('https://bot.example.org/staff#/requests/req-1');
  });

  it('when a link is written in other ways (IDN dots, zero-width spaces, an address, an e-mail, a bare scheme), then it is removed too', () => {
    for (const text of ['evil\u3002example\uFF0Ecom', 'ev\u200Bil.com/x', 'evil[.]com', '10.0.0.1:8080/admin', 'bob@evil.com', 'mailto:bob@evil.com', 'javascript:alert(1)', 'hxxp://evil']) {
      expect(plainText(`call ${text} ok`, 80)).toBe(`call ${LINK_REMOVED} ok`);
    }
  });

  it('when the visitor\'s text is cut to its length, then the cut cannot leave a shorter domain behind', () => {
    // "evil.co9" is no domain, its first 7 characters are.
    const text = `${'x'.repeat(73)} evil.co9`;
    expect(plainText(text, 82)).toBe(text);
    expect(plainText(text, 81)).toBe(`${'x'.repeat(73)} ${LINK_REMOVED}`);
  });

  it.each(ORDINARY_TEXTS)('when the visitor\'s best time is ordinary text ("%s"), then it is kept as typed', (text) => {
    expect(alertSummary(stored({ bestTime: text })).bestTime).toBe(text);
    expect(plainText(text, 80)).toBe(text);
  });

  it('when the visitor typed a phone number in their best time, then the card shows [phone] (the callback number is its own field, behind the login)', () => {
    const s = alertSummary(stored({ bestTime: 'text my wife at 617-555-0199 after 6' }));
    expect(s.bestTime).toBe('text my wife at [phone] after 6');
    expect(JSON.stringify(s)).not.toContain('0199');
    expect(JSON.stringify(s)).not.toContain(PHONE);
  });

  it('when the visitor gave contact preferences, then staff read them in words; with none, the summary has no such field', () => {
    expect(alertSummary(stored({ contactPreferences: ['no-voicemail', 'no-texts', 'discreet'] })).contactPreferences).toBe(
      'No texts; no voicemail; discreet: others may see the phone',
    );
    expect(alertSummary(stored()).contactPreferences).toBeUndefined();
    expect(alertSummary(stored({ contactPreferences: [] })).contactPreferences).toBeUndefined();
  });

  it('when a label in the content file carries markup, a link or a number, then the summary carries none of them', () => {
    const shipped = loadContactPreferences(path.join(knowledgeDir(), CONTACT_PREFERENCES_FILE));
    const edited = { ...shipped, preferences: { ...shipped.preferences, spanish: { ...shipped.preferences.spanish, label: '**Spanish**: see evil.example.com or 617-555-0199' } } };
    try {
      useContactPreferences(edited);
      const s = alertSummary(stored({ contactPreferences: ['spanish'] }));
      expect(s.contactPreferences).toBe(`Spanish: see ${LINK_REMOVED} or [phone]`);
    } finally {
      useContactPreferences(shipped);
    }
  });
});
