import { EventFactory, TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { handoffInitiation } from '../../src/channels/handoffEvent';

describe('handoffInitiation', () => {
  it("when built, then it has the same shape as botbuilder's EventFactory handoff event", () => {
    const context = new TurnContext(new TestAdapter(async () => undefined), {
      type: 'message', id: 'm1', channelId: 'webchat', serviceUrl: 'http://127.0.0.1/', text: 'talk to a person',
      from: { id: 'u1', name: 'V' }, recipient: { id: 'bot', name: 'bot' }, conversation: { id: 'c1' },
    } as Activity);
    const ours = handoffInitiation(context, { reason: 'asked-for-person' });
    const theirs = EventFactory.createHandoffInitiation(context, { reason: 'asked-for-person' });
    const shape = (a: Partial<Activity>) => ({ ...a, id: undefined, timestamp: undefined });
    expect(shape(ours)).toEqual(shape(theirs));
  });
});
