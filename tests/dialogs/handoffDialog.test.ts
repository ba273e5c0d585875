import type { Activity } from 'botbuilder';
import * as path from 'node:path';
import { HandoffService } from '../../src/core/handoff/handoffService';
import { loadHandoffContent } from '../../src/core/handoff/content';
import type { HandoffStore } from '../../src/core/handoff/handoffRequest';
import { SqliteHandoffStore } from '../../src/core/handoff/sqliteHandoffStore';
import { openDatabase } from '../../src/core/storage/database';
import { SqliteStorage } from '../../src/core/storage/sqliteStorage';
import { kb, testBot } from '../helpers/bot';

const handoffContent = loadHandoffContent(path.join(kb.dir, 'handoff.yaml'));

function setup(channel = 'webchat', from?: string, store: HandoffStore = new SqliteHandoffStore(openDatabase(':memory:')), staffOnline?: () => Promise<boolean>) {
  const handoffs = new HandoffService(store);
  const { adapter } = testBot(channel, new SqliteStorage(openDatabase(':memory:')), 60 * 60_000, { handoffs, handoffContent, staffOnline }, from ? { from: { id: from, name: 'visitor' } } : {});
  /** Send each line; what the bot said for each, as text plus buttons. */
  const talk = async (lines: string[]): Promise<string[]> => {
    const out: string[] = [];
    for (const line of lines) {
      await adapter.receiveActivity(line);
      const replies = adapter.activeQueue.splice(0) as Partial<Activity>[];
      out.push(replies.map((a) => [a.type === 'event' ? `event:${a.name}` : '', a.text ?? '', JSON.stringify(a.attachments ?? []), JSON.stringify(a.suggestedActions ?? {})].join(' ')).join('\n'));
    }
    return out;
  };
  return { talk, handoffs, store, adapter };
}

describe('the handoff dialog on web chat', () => {
  it('when a visitor asks for a person, then the admissions line comes with a tel: button, the callback offer and the handoff event', async () => {
    const { talk } = setup();
    const [out] = await talk(['I want to talk to a real person']);
    expect(out).toContain('(877) 920-6583');
    expect(out).toContain('tel:+18779206583');
    expect(out).toContain('Request a callback');
    expect(out).toContain('event:handoff.initiate');
  });

  it('when a visitor requests a callback with a valid number and consents, then the request is committed with E.164 and a reference is given', async () => {
    const { talk, store } = setup();
    const out = await talk(['can i talk to someone', 'Request a callback', 'my name is sam', '617-555-0123', 'Evening', 'Yes, contact me']);
    expect(out[2]).toMatch(/phone number/i);
    expect(out[3]).toMatch(/best time/i);
    expect(out[4]).toMatch(/OK for Greater Boston Addiction Centers admissions to call or text you at \(617\) 555-0123/);
    const [request] = await store.listActive();
    expect(request).toMatchObject({ name: 'Sam', phone: '+16175550123', bestTime: 'Evening', reason: 'asked-for-person', priority: 'normal', channel: 'webchat', status: 'open' });
    expect(request?.contactConsent?.text).toMatch(/call or text you/);
    expect(request?.conversationReference).toMatchObject({ conversation: expect.any(Object), channelId: 'webchat' });
    expect(out[5]).toContain(request!.reference);
    expect(out[5]).toMatch(/Thank you, Sam/);
  });

  it('when the phone number is not a US number, then the bot re-asks clearly and accepts the corrected one', async () => {
    const { talk, store } = setup();
    const out = await talk(['talk to a person', 'callback', 'Devon', '555-12', '(857) 555 0199', 'any time', 'yes']);
    expect(out[3]).toMatch(/doesn't look like a US phone number/i);
    expect((await store.listActive())[0]).toMatchObject({ phone: '+18575550199' });
  });

  it('when the visitor declines consent to be contacted, then nothing is stored and the admissions line is given', async () => {
    const { talk, store } = setup();
    const out = await talk(['talk to a person', 'Request a callback', 'Sam', '6175550123', 'Morning', 'No']);
    expect(out[5]).toMatch(/won't contact you/i);
    expect(out[5]).toContain('(877) 920-6583');
    expect(await store.listActive()).toHaveLength(0);
  });

  it('when the visitor types cancel in the middle, then the dialog ends and nothing is stored', async () => {
    const { talk, store } = setup();
    const out = await talk(['talk to a person', 'callback', 'cancel', 'what is iop']);
    expect(out[2]).toContain('(877) 920-6583');
    expect(out[3]).toMatch(/intensive outpatient/i);
    expect(await store.listActive()).toHaveLength(0);
  });

  it('when a crisis message comes at the name question, then the safety net answers first', async () => {
    const { talk } = setup();
    const out = await talk(['talk to a person', 'callback', 'i want to kill myself']);
    expect(out[2]).toContain('988');
  });

  it('when a visitor who had a crisis response later asks for a callback, then the request is crisis priority', async () => {
    const { talk, store } = setup();
    await talk(['i want to die', "i'm safe now", 'talk to a person', 'callback', 'Ana', '617 555 0100', 'Afternoon', 'yes']);
    expect((await store.listActive())[0]).toMatchObject({ priority: 'crisis', reason: 'crisis-follow-up' });
  });

  it('when a visitor who finished the screening asks for a person, then the request carries the screening result', async () => {
    const { talk, store } = setup();
    const out = await talk(['which program is right for me', 'yes', 'alcohol']);
    // Answer with the first choice until the suggestion arrives (the rules decide how many questions there are).
    for (let i = 0; i < 15 && !out.some((o) => o.includes('Ask another question')); i++) out.push(...(await talk(['1'])));
    expect(out.some((o) => o.includes('Ask another question'))).toBe(true);
    await talk(['talk to a person', 'callback', 'Lee', '617-555-0142', 'Evening', 'yes']);
    const [request] = await store.listActive();
    expect(request?.screening?.level).toBeDefined();
    expect(request?.reason).toBe('screening-completed');
  });

  it('when two questions in a row are not understood, then a person is offered', async () => {
    const { talk } = setup();
    const out = await talk(['what is the capital of peru', 'who won the world series in 1987']);
    expect(out[1]).toContain('Request a callback');
    expect(out[1]).toContain('event:handoff.initiate');
  });

  it('when the visitor says "forget me" after a callback request, then the request is deleted too', async () => {
    const { talk, store } = setup();
    await talk(['talk to a person', 'callback', 'Sam', '617-555-0123', 'Evening', 'yes']);
    expect(await store.listActive()).toHaveLength(1);
    await talk(['forget me']);
    expect(await store.listActive()).toHaveLength(0);
  });

  it('when the queue cannot save the request, then the visitor gets the admissions line and no reference', async () => {
    const broken = new SqliteHandoffStore(openDatabase(':memory:'));
    broken.create = async () => {
      throw new Error('disk full');
    };
    const { talk } = setup('webchat', undefined, broken);
    const out = await talk(['talk to a person', 'callback', 'Sam', '617-555-0123', 'Evening', 'yes']);
    expect(out[5]).toMatch(/couldn't save/i);
    expect(out[5]).toContain('(877) 920-6583');
    expect(out[5]).not.toMatch(/GB-/);
  });

  it('when staff are online for live chat, then "chat with a person now" is offered and creates a request', async () => {
    const { talk, store } = setup('webchat', undefined, undefined, async () => true);
    const out = await talk(['talk to a person', 'Chat with a person now']);
    expect(out[0]).toContain('Chat with a person now');
    expect(out[1]).toMatch(/GB-/);
    expect(await store.listActive()).toHaveLength(1);
  });
});

describe('the handoff dialog on SMS', () => {
  it('when a texter asks for a callback, then their own number is offered, numbers pick choices, and it is all plain text', async () => {
    const { talk, store } = setup('sms', '+16175550177');
    // "call me" asks for a callback outright: no offer, the name first (with the admissions line).
    const out = await talk(['call me', 'Jo', '1', '2', '1']);
    for (const o of out) {
      expect(o).not.toMatch(/"contentType"/);
      expect(o).not.toContain('tel:');
    }
    expect(out[0]).toContain('(877) 920-6583');
    expect(out[1]).toMatch(/\(617\) 555-0177/);
    expect((await store.listActive())[0]).toMatchObject({ phone: '+16175550177', bestTime: 'Afternoon', channel: 'sms' });
  });

  it('when a texter wants a different number, then the bot asks for it', async () => {
    const { talk, store } = setup('sms', '+16175550177');
    await talk(['talk to a person', 'callback', 'Jo', 'a different number', '857-555-0100', 'Morning', 'yes']);
    expect((await store.listActive())[0]).toMatchObject({ phone: '+18575550100' });
  });
});

describe('the handoff dialog on Teams', () => {
  it('when a Teams user requests a callback, then the request is created for the Teams channel', async () => {
    const { talk, store } = setup('msteams');
    const out = await talk(['talk to a person', 'Request a callback', 'Kim', '617-555-0111', 'Morning', 'Yes, contact me']);
    expect(out[0]).toContain('application/vnd.microsoft.card.adaptive');
    expect((await store.listActive())[0]).toMatchObject({ channel: 'msteams', name: 'Kim' });
  });
});

describe('the handoff dialog, double taps', () => {
  it('when "Request a callback" is tapped twice, then the second tap is not taken as the first name', async () => {
    const { talk, store } = setup();
    const out = await talk(['talk to a person', 'Request a callback', 'Request a callback', 'Sam', '617-555-0123', 'Evening', 'yes']);
    expect(out[2]).toMatch(/first name/i);
    expect((await store.listActive())[0]).toMatchObject({ name: 'Sam' });
  });
});
