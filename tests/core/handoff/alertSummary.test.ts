import { alertSummary, consoleLink, firstName, plainText } from '../../../src/core/handoff/alertSummary';
import type { HandoffRequest } from '../../../src/core/handoff/handoffRequest';
import { fullRequest, PRIVATE_BITS } from './helpers';

function stored(overrides: Partial<HandoffRequest> = {}): HandoffRequest {
  const now = new Date().toISOString();
  return { ...fullRequest(), id: 'req-1', reference: 'GB-7K2Q9', status: 'open', createdAt: now, updatedAt: now, ...overrides };
}

describe('alert summary', () => {
  it('when a request is summarised for staff, then only priority, first name, level, best time, reason and reference remain', () => {
    const s = alertSummary(stored(), 'https://bot.example.org/');
    expect(s).toMatchObject({ reference: 'GB-7K2Q9', priority: 'crisis', firstName: 'Sam', suggestedLevel: 'iop', bestTime: 'evenings after 6', reason: 'screening-completed' });
    expect(s.url).toBe('https://bot.example.org/staff#/requests/req-1');
    const json = JSON.stringify(s);
    for (const bit of PRIVATE_BITS) expect(json).not.toContain(bit);
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
});
