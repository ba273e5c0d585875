import type { CloudAdapter } from 'botbuilder';
import type * as restify from 'restify';
import type { Config } from '../config';
import type { HandoffService } from '../core/handoff/handoffService';
import type { LiveTakeoverStore, StaffSessionStore } from '../core/handoff/liveTakeover';
import type { Responder } from '../core/responder';
import type { OptOutStore } from '../core/sms/optOuts';
import type { UnansweredLog } from '../core/storage/unansweredLog';
import { serviceUrlAllowed } from '../http/server';
import type { Logger } from '../logger';
import { registerStaffApi, type AlertsSource, type Summarise } from './api';
import { StaffAuth } from './auth';
import { LiveChat } from './live';
import { registerStaffPage } from './page';
import { parseStaffUsers } from './password';
import type { MetricsRecorder } from '../core/metrics/recorder';
import { SessionSigner } from './session';

/** A staff member who used the console this recently counts as online (staffOnline). */
export const STAFF_ONLINE_MS = 5 * 60_000;

export interface StaffConsoleDeps {
  config: Config;
  logger: Logger;
  handoffs: HandoffService;
  adapter: CloudAdapter;
  responder: Responder;
  takeovers: LiveTakeoverStore;
  sessions: StaffSessionStore;
  optOuts?: OptOutStore;
  /** Alert delivery failures for the console (the alerts module, when merged). */
  alerts?: AlertsSource;
  /** The daily counts the Reports page shows; without them, no reports (404). */
  metrics?: MetricsRecorder;
  /** A completed screening in staff wording (knowledge/staff-summary.yaml). */
  summarise?: Summarise;
  /** The unanswered-question log: the Reports page's groups (counts only) and the review page (undefined when RECORD_UNANSWERED is off). */
  unanswered?: UnansweredLog;
  /** The FAQ entries' titles by id (the review page's "add to entry"). */
  entryTitles?: ReadonlyMap<string, string>;
}

export interface StaffConsole {
  /** False when STAFF_USERS is unset: nothing under /staff exists (404). */
  enabled: boolean;
  /** The live takeover (HANDOFF_LIVE=true and the console on); the bot's turn hook. */
  live?: LiveChat;
  /** Live chat is on and a staff member used the console in the last few minutes: offer "chat with a person now". */
  staffOnline(): Promise<boolean>;
  /** Add /staff and /staff/api to the server (does nothing when disabled). */
  register(server: restify.Server, alerts?: AlertsSource): void;
}

/** The staff console: its page, its API, live takeover and staff presence. */
export function createStaffConsole(deps: StaffConsoleDeps): StaffConsole {
  const { config, logger } = deps;
  const users = parseStaffUsers(config.STAFF_USERS);
  const enabled = users.size > 0;
  const live =
    enabled && config.HANDOFF_LIVE
      ? new LiveChat({
          store: deps.takeovers,
          handoffs: deps.handoffs,
          adapter: deps.adapter,
          appId: config.MicrosoftAppId ?? '',
          canSendTo: (url) => config.authEnabled || serviceUrlAllowed(url, config),
          responder: deps.responder,
          optOuts: deps.optOuts,
          logger,
          idleMs: config.HANDOFF_LIVE_IDLE_MINUTES * 60_000,
        })
      : undefined;

  return {
    enabled,
    live,
    async staffOnline() {
      if (!live) return false;
      return deps.sessions.anyoneSeenSince(new Date(Date.now() - STAFF_ONLINE_MS));
    },
    register(server, alerts = deps.alerts) {
      if (!enabled) return;
      const auth = new StaffAuth({
        users,
        signer: new SessionSigner(config.STAFF_SESSION_SECRET, config.STAFF_SESSION_HOURS * 3_600_000),
        sessions: deps.sessions,
        trustProxy: config.TRUST_PROXY,
      });
      registerStaffPage(server);
      const reports = deps.metrics && { metrics: deps.metrics, unanswered: deps.unanswered, unansweredKeptDays: config.DATA_RETENTION_DAYS };
      registerStaffApi(server, {
        auth,
        handoffs: deps.handoffs,
        live,
        alerts,
        reports,
        logger,
        summarise: deps.summarise,
        unanswered: deps.unanswered,
        entryTitles: deps.entryTitles,
      });
    },
  };
}
