import { ActivityTypes, TurnContext, type Activity } from 'botbuilder';
import { randomUUID } from 'node:crypto';

/** Resolved once: botbuilder's EventFactory asks Intl for it on every event (~0.1 ms each). */
const LOCAL_TIMEZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * Bot Framework's standard "handoff.initiate" event, the same activity that
 * EventFactory.createHandoffInitiation builds, so a contact-center channel
 * (Dynamics Omnichannel and the like) can take the conversation over.
 */
export function handoffInitiation<T>(context: TurnContext, handoffContext: T): Partial<Activity> {
  const a = context.activity;
  return {
    type: ActivityTypes.Event,
    name: 'handoff.initiate',
    value: handoffContext,
    id: randomUUID(),
    timestamp: new Date(),
    localTimezone: LOCAL_TIMEZONE,
    conversation: a.conversation,
    from: a.from,
    relatesTo: TurnContext.getConversationReference(a) as Activity['relatesTo'],
    replyToId: a.id,
    serviceUrl: a.serviceUrl,
    channelId: a.channelId,
    attachments: [],
    entities: [],
  };
}
