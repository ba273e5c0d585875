/**
 * A channel-neutral reply. The core and the dialogs produce these; only
 * src/channels/render.ts turns them into Bot Framework activities, so each
 * channel's rules (cards, suggested actions, numbered SMS text) live in one place.
 */
export interface Choice {
  /** What the button shows. */
  label: string;
  /** What the bot receives when the visitor taps it (or types its number on SMS). */
  value: string;
}

export interface LinkButton {
  label: string;
  /** A tel: or sms: URI. */
  uri: string;
}

export interface Reply {
  text: string;
  /** Quick replies: suggested actions on web chat, Adaptive Card buttons on Teams, numbered lines on SMS. */
  choices?: Choice[];
  /** Tap-to-call / tap-to-text buttons; on SMS the number is already in the text. */
  links?: LinkButton[];
  /** Optional machine-readable tag for tests and analytics (never shown). */
  tag?: string;
}
