import { render, channelKind } from '../../src/channels/render';
import type { Reply } from '../../src/core/reply';

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
