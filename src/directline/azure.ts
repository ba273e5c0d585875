import { HttpError } from '../http/server';
import { AzureTokenSchema } from './schemas';

export const AZURE_DIRECTLINE_DOMAIN = 'https://directline.botframework.com/v3/directline';

/**
 * Exchange the Azure Direct Line secret for a conversation token, server to server.
 * The page only ever gets the token (and Azure's domain), never the secret.
 * `userId` starts with "dl_" so Azure embeds it in the token and the page cannot change it.
 */
export async function exchangeAzureToken(
  secret: string,
  userId: string,
  domain = AZURE_DIRECTLINE_DOMAIN,
): Promise<{ conversationId: string; token: string; expires_in: number; domain: string }> {
  let res: Response;
  try {
    res = await fetch(`${domain}/tokens/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user: { id: userId } }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    throw new HttpError(502, 'the Direct Line service could not be reached');
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) throw new HttpError(502, `the Direct Line service refused the token request (${res.status})`);
  const parsed = AzureTokenSchema.safeParse(body);
  if (!parsed.success) throw new HttpError(502, 'the Direct Line service sent an unexpected answer');
  return { ...parsed.data, domain };
}
