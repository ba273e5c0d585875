import { CloudAdapter, type ConfigurationBotFrameworkAuthenticationOptions, type TurnContext } from 'botbuilder';
import { render } from './channels/render';
import type { Config } from './config';
import type { Responder } from './core/responder';
import { logId, type Logger } from './logger';
import { ReusingBotFrameworkAuthentication } from './reusedClients';

/**
 * The Bot Framework adapter, configured from the standard MicrosoftApp* settings.
 * With no app id, auth is off: the Emulator, `npm run chat` and the tests talk to it.
 */
export function createAdapter(config: Config, logger: Logger, responder: Responder): CloudAdapter {
  // The SDK's authentication, with its outbound clients built once instead of per turn.
  const auth = new ReusingBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
  } as ConfigurationBotFrameworkAuthenticationOptions);
  const adapter = new CloudAdapter(auth);

  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    // Never log the message text: it can hold health information.
    logger.error(
      { event: 'turn-error', err: { name: error.name, message: error.message, stack: error.stack }, conversation: logId(context.activity.conversation?.id), type: context.activity.type },
      'turn failed',
    );
    try {
      await context.sendActivity(render(responder.message('error'), context.activity.channelId));
    } catch (sendError) {
      logger.error({ event: 'turn-error-reply-failed', err: (sendError as Error).message }, 'could not send the apology');
    }
  };
  return adapter;
}
