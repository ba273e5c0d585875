import { basicNormalize } from './text/normalize';
import { phrases, type Command } from './understanding/phrases';

export type { Command };

/**
 * A global command ("help", "start over", "cancel", "talk to a person", "forget me"),
 * recognized on a whole message part so that it works in every state of the
 * conversation. The phrases are knowledge/phrases.yaml's (commands).
 */
export function detectCommand(text: string): Command | null {
  const t = basicNormalize(text);
  if (!t) return null;
  return phrases().command(t);
}
