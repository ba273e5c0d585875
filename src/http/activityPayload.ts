import { z } from 'zod';

/**
 * The minimum an incoming activity must have before it reaches the adapter.
 * botbuilder validates with its own zod 3; this is our zod 4 gate so bad input
 * gets a clear 400 instead of an exception deep in the SDK.
 */
const Account = z.looseObject({ id: z.string().max(512).optional(), name: z.string().max(512).optional() });

export const ActivityPayloadSchema = z.looseObject({
  type: z.string().min(1).max(64),
  id: z.string().max(512).optional(),
  channelId: z.string().min(1).max(128),
  serviceUrl: z.string().max(2048).optional(),
  conversation: z.looseObject({ id: z.string().min(1).max(512) }),
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
