import type { CloudAdapter } from 'botbuilder';
import type { Config } from '../config';
import { AlertDispatcher, type DispatcherOptions } from '../core/handoff/alertDispatcher';
import type { AlertLog, AlertOutbox } from '../core/handoff/alertOutbox';
import type { HandoffService } from '../core/handoff/handoffService';
import { WebhookChannel } from '../core/handoff/webhook';
import type { KeyValueStorage } from '../core/storage/sqliteStorage';
import type { Logger } from '../logger';
import { TeamsAlerts } from './teamsAlerts';

export interface StaffAlertsDeps {
  config: Config;
  logger: Logger;
  adapter: CloudAdapter;
  handoffs: HandoffService;
  outbox: AlertOutbox;
  /** Where the Teams channel reference and card ids are kept. */
  storage: KeyValueStorage;
  /** Backoff and timeouts (tests make them small). */
  tuning?: Omit<DispatcherOptions, 'maxAttempts'> & { timeoutMs?: number };
}

export interface StaffAlerts {
  /** Delivery status for the staff console. */
  log: AlertLog;
  /** Set when Teams alerts are on: the bot hands it Teams installs and Claim presses. */
  teams?: TeamsAlerts;
  close(): Promise<void>;
}

/** The configured staff alerts (each off unless set), listening to the queue. */
export function createStaffAlerts(deps: StaffAlertsDeps): StaffAlerts {
  const { config, logger, handoffs, outbox } = deps;
  const { timeoutMs, ...tuning } = deps.tuning ?? {};
  const dispatchers: AlertDispatcher[] = [];

  if (config.HANDOFF_WEBHOOK_URL && config.HANDOFF_WEBHOOK_SECRET) {
    const webhook = new WebhookChannel({ url: config.HANDOFF_WEBHOOK_URL, secret: config.HANDOFF_WEBHOOK_SECRET, publicBaseUrl: config.PUBLIC_BASE_URL, timeoutMs });
    dispatchers.push(new AlertDispatcher(webhook, outbox, logger, { ...tuning, maxAttempts: config.HANDOFF_WEBHOOK_MAX_ATTEMPTS }));
  }
  let teams: TeamsAlerts | undefined;
  if (config.TEAMS_ALERTS) {
    teams = new TeamsAlerts({
      adapter: deps.adapter,
      appId: config.MicrosoftAppId ?? '',
      storage: deps.storage,
      handoffs,
      logger,
      teamId: config.TEAMS_ADMISSIONS_TEAM_ID,
      publicBaseUrl: config.PUBLIC_BASE_URL,
      timeoutMs,
    });
    dispatchers.push(new AlertDispatcher(teams, outbox, logger, { ...tuning, maxAttempts: 8 }));
  }
  for (const d of dispatchers) {
    handoffs.addNotifier(d);
    d.start();
  }
  // Retention: the delivery log keeps ids and outcomes only, for as long as conversation data.
  outbox.purgeFinishedBefore(new Date(Date.now() - config.DATA_RETENTION_DAYS * 86_400_000)).catch((err: Error) =>
    logger.error({ event: 'alert-purge-failed', err: err.message }, 'could not purge the alert log'),
  );

  return {
    log: outbox,
    teams,
    async close() {
      await Promise.all(dispatchers.map((d) => d.close()));
    },
  };
}
