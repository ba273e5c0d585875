import { basicNormalize } from '../text/normalize';

export type CheckInAnswer = 'safe' | 'unsafe' | 'other';

/** "yes im ok", "yeah i'm safe now thanks": a yes in front and a few words after are the same answer. */
const SAFE =
  /^(?:(?:yes|yeah|yep|ya|yea|ok|okay|si) )?(?:yes|yeah|yep|ya|yea|y|yes i am|i am safe|im safe|safe|i am ok|im ok|i am okay|im okay|ok|okay|k|i am fine|im fine|fine|all good|i am good|im good|we are safe|were safe|he is ok|she is ok|they are ok|si|si estoy bien|estoy bien|estoy a salvo|estamos bien)(?: now| right now| thanks| thank you| thx| gracias)*$/;
const UNSAFE =
  /^(?:no|n|nope|not really|not safe|i am not safe|im not safe|i need help|i need help now|help|help me|please help|no estoy bien|no estoy a salvo|necesito ayuda|ayuda)(?: now| please| pls)?$/;

/** Read the visitor's answer to "Are you safe right now?" after a crisis response. */
export function classifyCheckInAnswer(text: string): CheckInAnswer {
  const t = basicNormalize(text);
  if (SAFE.test(t)) return 'safe';
  if (UNSAFE.test(t)) return 'unsafe';
  return 'other';
}
