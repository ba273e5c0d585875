import { z } from 'zod';

/**
 * The minimum an incoming activity must have before it reaches the adapter.
 * botbuilder validates with its own zod 3; this is our zod 4 gate so bad input
 * gets a clear 400 instead of an exception deep in the SDK.
 */
// Replies copy from/recipient/conversation/locale back, and the connector's serializer refuses wrong types there:
// checked here, so a bad value is a 400 instead of a turn that cannot answer.
const Account = z.looseObject({
  id: z.string().max(512).optional(),
  name: z.string().max(512).optional(),
  role: z.string().max(64).optional(),
  aadObjectId: z.string().max(128).optional(),
});

/** The connector sends the conversation id in an HTTP header (x-ms-conversation-id): control characters or non-Latin-1 there make every reply fail. */
const HEADER_SAFE = /^[\t\x20-\x7e\x80-\xff]+$/;

export const ActivityPayloadSchema = z.looseObject({
  type: z.string().min(1).max(64),
  id: z.string().max(512).optional(),
  channelId: z.string().min(1).max(128),
  serviceUrl: z.string().max(2048).optional(),
  conversation: z.looseObject({
    id: z.string().min(1).max(512).regex(HEADER_SAFE, { error: 'must not contain control characters' }),
    isGroup: z.boolean().optional(),
    conversationType: z.string().max(64).optional(),
    name: z.string().max(512).optional(),
    tenantId: z.string().max(128).optional(),
    role: z.string().max(64).optional(),
  }),
  locale: z.string().max(64).optional(),
  replyToId: z.string().max(512).optional(),
  from: Account.optional(),
  recipient: Account.optional(),
  text: z.string().optional(),
  deliveryMode: z.string().max(32).optional(),
  attachments: z.array(z.unknown()).max(50).optional(),
  membersAdded: z.array(Account).max(100).optional(),
  membersRemoved: z.array(Account).max(100).optional(),
  entities: z.array(z.unknown()).max(50).optional(),
});

export type ActivityPayload = z.infer<typeof ActivityPayloadSchema>;

export function describePayloadError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid activity';
  const where = issue.path.length ? issue.path.join('.') : 'body';
  return `invalid activity: ${where}: ${issue.message}`;
}
