import type { Config } from '../config';
import { DIRECTLINE_CHANNEL_ID } from '../directline/channel';
import type { Logger } from '../logger';
import type { ActivityPayload } from './activityPayload';

const TEAMS_INSTALL_TYPES = new Set(['conversationupdate', 'installationupdate']);

/**
 * With auth off nothing proves who sent an activity to /api/messages, so what it claims
 * cannot give it power over someone else:
 * - `directline` is the built-in Direct Line's channel: its visitors' turns never come over
 *   HTTP (the bridge runs them in-process), so a request naming it is someone posing as a
 *   visitor whose conversation id they learned (e.g. to write into a live chat with staff);
 * - a Teams event about a team (the bot added to or removed from it) chooses where staff
 *   alerts go: forged, it would take the alert channel or switch it off.
 * Returns why it is refused, or undefined. Case is ignored: no other spelling slips through.
 */
export function refusalWithoutAuth(activity: ActivityPayload): string | undefined {
  const channel = activity.channelId.trim().toLowerCase();
  if (channel === DIRECTLINE_CHANNEL_ID) {
    return `channelId "${DIRECTLINE_CHANNEL_ID}" is only accepted from this service's own Direct Line endpoint while auth is off`;
  }
  const team = (activity.channelData as { team?: unknown } | undefined)?.team;
  if (channel === 'msteams' && TEAMS_INSTALL_TYPES.has(activity.type.toLowerCase()) && team !== undefined) {
    return 'Teams team events (the bot added to or removed from a team) need Bot Framework auth: set MicrosoftAppId';
  }
  return undefined;
}

/** Auth off is for local use; in production anyone could post as any channel. Said once, at start-up. */
export function warnIfAuthOffInProduction(config: Config, logger: Pick<Logger, 'warn'>, nodeEnv = process.env.NODE_ENV): void {
  if (config.authEnabled || nodeEnv !== 'production') return;
  logger.warn(
    { event: 'auth-off-in-production' },
    'Bot Framework auth is off (no MicrosoftAppId) with NODE_ENV=production: /api/messages accepts unauthenticated activities; set MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppType',
  );
}
