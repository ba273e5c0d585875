import type { NewHandoffRequest } from '../../../src/core/handoff/handoffRequest';
import type { AlertDelivery, AlertLog } from '../../../src/core/handoff/alertOutbox';
import type { ScreeningResult } from '../../../src/core/screening/screening';

export const PHONE = '+16175550123';

/** A request with everything a visitor may give, so tests can check what an alert leaves out. */
export function fullRequest(overrides: Partial<NewHandoffRequest> = {}): NewHandoffRequest {
  const screening: ScreeningResult = {
    answers: { substance: 'alcohol', withdrawal: 'no' },
    dimensions: { withdrawal: [{ question: 'Do you get shaky when you stop?', dimension: 'withdrawal', answer: 'no', label: 'No, never' }] },
    level: 'iop',
    levelName: 'the Intensive Outpatient Program (IOP)',
    rule: 'iop-default',
    reasons: ['you drink every night to fall asleep'],
    questionsAsked: 8,
    startedAt: new Date().toISOString(),
    completedAt: new Date().toISOString(),
  };
  return {
    reason: 'screening-completed',
    priority: 'crisis',
    channel: 'webchat',
    conversationId: 'conv-alerts',
    conversationReference: { conversation: { id: 'conv-alerts' } },
    name: 'Sam Rivera',
    phone: PHONE,
    bestTime: 'evenings after 6',
    contactConsent: { text: 'May we call you?', at: new Date().toISOString() },
    screening,
    transcriptExcerpt: ['I drink every night to fall asleep', 'my number is 617 555 0123'],
    ...overrides,
  };
}

/** What must never leave in an alert. */
// The number in any form it could be written ('555' alone also occurs in random ids and timestamps: a flaky check).
export const PRIVATE_BITS = ['6175550123', '555-0123', '555 0123', '5550123', 'Rivera', 'drink every night', 'shaky', 'alcohol', 'May we call you'];

/** Wait (a bounded number of short sleeps) until the alert log says what the test expects. */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what = 'condition'): Promise<T> {
  for (let i = 0; i < 1500; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The deliveries of one request, once none of them is pending. */
export function settled(log: AlertLog, requestId: string, count = 1): Promise<AlertDelivery[]> {
  return waitFor(
    () => log.deliveriesFor(requestId),
    (d) => d.length >= count && d.every((x) => x.status !== 'pending'),
    `${count} finished deliveries`,
  );
}

/**
 * Visitor text carrying a link Teams would make clickable, and the parts of it
 * that must not reach an alert (the card or the webhook payload).
 */
export const LINKY_TEXTS: Array<{ text: string; mustNotShow: string[] }> = [
  { text: 'visit evil.example.com/login after 6', mustNotShow: ['evil', 'example.com', '/login'] },
  { text: 'mornings, see http://x.y/z', mustNotShow: ['http', 'x.y', '/z'] },
  { text: 'HTTPS://Phish.Example.NET/a?b=c anytime', mustNotShow: ['phish', 'example.net', 'b=c'] },
  { text: 'www.foo.com is where I am', mustNotShow: ['www', 'foo.com'] },
  { text: 'after 5 foo.co.uk', mustNotShow: ['foo.co', 'co.uk'] },
  { text: '[click](http://x) for times', mustNotShow: ['http', ']('] },
  { text: '<http://lure.test|my schedule>', mustNotShow: ['http', 'lure'] },
];

/** Ordinary visitor text with dots, colons and abbreviations: kept exactly as typed. */
export const ORDINARY_TEXTS = ['after 5pm, mornings ok', 'Dr. Smith said IOP', '3.5 hours', 'e.g. weekends', 'a.m. or p.m., i.e. 9-5', 'Mon-Fri: 10:30 or 4.15'];
