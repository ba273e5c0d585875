import { z } from 'zod';

/** Request bodies of the Direct Line endpoint, checked before anything else sees them (zod 4). */

const Account = z.looseObject({ id: z.string().max(512).optional(), name: z.string().max(256).optional(), role: z.string().max(32).optional() });

/** tokens/generate and POST /conversations: any user the page names is ignored (the server picks the id). */
export const StartBodySchema = z
  .looseObject({
    user: Account.optional(),
    locale: z.string().max(32).optional(),
  })
  .optional();

/** What a visitor may post. Only message, typing and event: no conversationUpdate, invoke or handoff from a page. */
export const ClientActivitySchema = z.looseObject({
  type: z.enum(['message', 'typing', 'event'], { error: 'type must be message, typing or event' }),
  text: z.string().max(100_000).optional(),
  textFormat: z.string().max(32).optional(),
  locale: z.string().max(32).optional(),
  name: z.string().max(256).optional(),
  value: z.unknown().optional(),
  from: Account.optional(),
  attachments: z.array(z.looseObject({ contentType: z.string().max(256) })).max(10).optional(),
  entities: z.array(z.looseObject({ type: z.string().max(256) })).max(20).optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
});
export type ClientActivity = z.infer<typeof ClientActivitySchema>;

/** An activity the bot sends through the connector routes (proactive messages, updates). */
export const BotActivitySchema = z.looseObject({
  type: z.string().min(1).max(64),
  id: z.string().max(512).optional(),
  text: z.string().optional(),
  attachments: z.array(z.unknown()).max(50).optional(),
  entities: z.array(z.unknown()).max(50).optional(),
});

/** What Azure's tokens/generate answers; anything else is passed on as an upstream failure. */
export const AzureTokenSchema = z.object({
  conversationId: z.string().min(1).max(256),
  token: z.string().min(1).max(8192),
  expires_in: z.number().int().positive(),
});

export function describeIssue(error: z.ZodError, what: string): string {
  const issue = error.issues[0];
  if (!issue) return `invalid ${what}`;
  const where = issue.path.length ? issue.path.join('.') : 'body';
  return `invalid ${what}: ${where}: ${issue.message}`;
}

/** `watermark` query value: absent or empty = from the start; otherwise a whole number. */
export function parseWatermark(raw: string | null): number | undefined | null {
  if (raw === null || raw === '' || raw === '-') return undefined;
  if (!/^\d{1,15}$/.test(raw)) return null;
  return Number(raw);
}
