import { render, renderAll, channelKind } from '../../src/channels/render';
import type { Reply } from '../../src/core/reply';
import type { MessageKey } from '../../src/core/knowledge/schema';
import * as path from 'node:path';
import { knowledgeDir, loadKnowledgeBase } from '../../src/core/knowledge/load';
import { Responder } from '../../src/core/responder';
import { CrisisDetector, type CrisisKind } from '../../src/core/safety/crisis';
import { Screening } from '../../src/core/screening/screening';

// The real knowledge base (no recognizer: only what is said matters here).
const kb = loadKnowledgeBase(knowledgeDir());
const responder = new Responder(kb);
const crisis = CrisisDetector.fromFile(path.join(kb.dir, 'crisis.yaml'));
const screening = Screening.fromFile(path.join(kb.dir, 'screening.yaml'));

const SHORTENED = responder.message('smsShortened').text;
const sms = (r: Reply) => renderAll(r, 'sms', { shortenedNote: SHORTENED });
const texts = (r: Reply) => sms(r).map((a) => String(a.text));

/** Markdown a phone would show literally. */
const MARKDOWN = /\*\*|__|\[[^\]]*\]\([^)]*\)|^\s*#/m;

const reply: Reply = {
  text: 'You can reach **admissions** at (877) 920-6583.',
  choices: [
    { label: 'What is IOP?', value: 'what is iop' },
    { label: 'Levels of care', value: 'levels of care' },
  ],
  links: [{ label: 'Call (877) 920-6583', uri: 'tel:+18779206583' }, { label: 'Call 988', uri: 'tel:988' }],
};

describe('render', () => {
  it('when the channel is SMS, then the reply is plain text with numbered choices and every number written out', () => {
    const a = render(reply, 'sms');
    expect(a.text).toBe(
      'You can reach admissions at (877) 920-6583.\nCall 988: 988\n\nReply with a number:\n1. What is IOP?\n2. Levels of care',
    );
    expect(a.attachments).toBeUndefined();
    expect(a.suggestedActions).toBeUndefined();
  });

  it('when the channel is Teams, then choices and links are Adaptive Card actions', () => {
    const a = render(reply, 'msteams');
    const card = a.attachments?.[0];
    expect(card?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const actions = (card?.content as { actions: Array<{ type: string; url?: string; data?: unknown }> }).actions;
    expect(actions.filter((x) => x.type === 'Action.OpenUrl').map((x) => x.url)).toEqual(['tel:+18779206583', 'tel:988']);
    expect(actions.filter((x) => x.type === 'Action.Submit')).toHaveLength(2);
  });

  it('when the channel is web chat, then choices are suggested actions and links a tap-to-call card', () => {
    const a = render(reply, 'webchat');
    expect(a.text).toContain('(877) 920-6583');
    expect(a.suggestedActions?.actions.map((x) => x.value)).toEqual(['what is iop', 'levels of care']);
    expect(JSON.stringify(a.attachments)).toContain('tel:+18779206583');
  });

  it('when a channel is unknown, then it is treated as web chat', () => {
    expect(channelKind('emulator')).toBe('web');
    expect(channelKind(undefined)).toBe('web');
    expect(channelKind('SMS')).toBe('sms');
  });
});

describe('renderAll', () => {
  it('when the channel is not SMS, then it is the single activity of render', () => {
    expect(renderAll(reply, 'webchat')).toEqual([render(reply, 'webchat')]);
    expect(renderAll(reply, 'msteams')).toEqual([render(reply, 'msteams')]);
  });

  it('when an SMS reply is short, then it is one plain-text activity equal to render', () => {
    expect(renderAll(reply, 'sms')).toEqual([render(reply, 'sms')]);
  });

  it('when an SMS reply is long, then it is several plain-text parts of at most 320 characters, the numbered choices last', () => {
    const long: Reply = { ...reply, text: Array.from({ length: 12 }, (_, i) => `Point ${i + 1} is about **our** programs and what they offer.`).join(' ') };
    const parts = sms(long);
    expect(parts.length).toBeGreaterThan(1);
    for (const a of parts) {
      expect(a).toEqual({ type: 'message', text: expect.any(String), textFormat: 'plain' });
      expect(String(a.text).length).toBeLessThanOrEqual(320);
      expect(a.text).not.toMatch(MARKDOWN);
    }
    expect(parts[parts.length - 1]?.text).toMatch(/Reply with a number:\n1\. What is IOP\?\n2\. Levels of care$/);
  });

  it('when an SMS reply is over 1,600 characters, then it is cut between sentences, keeps the admissions number and the choices', () => {
    const huge: Reply = { text: Array.from({ length: 60 }, (_, i) => `Sentence ${i + 1} says something about care.`).join(' '), choices: reply.choices, links: [responder.callAdmissions] };
    const parts = texts(huge);
    expect(parts.join('').length).toBeLessThanOrEqual(1600);
    expect(parts.every((p) => p.length <= 320)).toBe(true);
    const all = parts.join('\n');
    expect(all).toContain(SHORTENED);
    expect(all).toContain('(877) 920-6583');
    expect(all).toMatch(/2\. Levels of care$/);
  });
});

describe('every SMS reply from the knowledge base', () => {
  const replies: Array<[string, Reply]> = [
    ...kb.faq.entries.map((e): [string, Reply] => [`answer ${e.id}`, responder.answer(e)]),
    ...Object.keys(kb.messages.messages).map((k): [string, Reply] => [`message ${k}`, responder.message(k as MessageKey)]),
    ...(['suicide', 'overdose', 'withdrawal-emergency', 'violence'] as CrisisKind[]).flatMap((kind) =>
      (['en', 'es'] as const).map((language): [string, Reply] => [`crisis ${kind} ${language}`, crisis.response({ kind, evidence: 'test', language })]),
    ),
    ...screening.questions.map((q): [string, Reply] => [`question ${q.id}`, { text: q.text, choices: q.choices.map((c) => ({ label: c.label, value: c.label })) }]),
  ];

  it('when the knowledge base is loaded, then there are answers to check', () => {
    expect(kb.faq.entries.length).toBeGreaterThan(20);
  });

  it.each(replies)('when %s is sent by SMS, then it is plain text in parts of at most 320 characters and 1,600 in all', (_, r) => {
    const parts = sms(r);
    expect(parts.length).toBeGreaterThan(0);
    for (const a of parts) {
      expect(a.attachments).toBeUndefined();
      expect(a.suggestedActions).toBeUndefined();
      expect(a.textFormat).toBe('plain');
      expect(String(a.text).length).toBeLessThanOrEqual(320);
      expect(a.text).not.toMatch(MARKDOWN);
    }
    expect(parts.reduce((n, a) => n + String(a.text).length, 0)).toBeLessThanOrEqual(1600);
    // Nothing is cut from a knowledge-base reply: every word arrives, in order.
    const words = (s: string) => s.split(/\s+/).filter(Boolean);
    expect(parts.flatMap((a) => words(String(a.text)))).toEqual(words(String(render(r, 'sms').text)));
    // Every number behind a button is written out.
    for (const link of r.links ?? []) expect(parts.map((a) => a.text).join(' ').replace(/\D/g, '')).toContain(link.uri.replace(/\D/g, '').slice(-10));
  });
});
