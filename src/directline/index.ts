import type { IpGate } from '../http/ipRateLimit';
import type { ActivityHandlerBase, CloudAdapter } from 'botbuilder';
import type { AddressInfo } from 'node:net';
import type * as restify from 'restify';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Limiter } from '../rateLimit';
import { DirectLineChannel } from './channel';
import { CONNECTOR_PREFIX, registerConnectorRoutes } from './connectorRoutes';
import { ConversationLogs, type ConversationsOptions } from './conversations';
import { parseOrigins, registerCors } from './cors';
import { registerDirectLineRoutes } from './routes';
import { attachStream } from './stream';
import { TokenService } from './tokens';

export { DIRECTLINE_CHANNEL_ID } from './channel';
export { DIRECTLINE_PREFIX } from './routes';

export interface DirectLineDeps {
  config: Config;
  logger: Logger;
  adapter: CloudAdapter;
  bot: ActivityHandlerBase;
  conversations?: ConversationsOptions;
  now?: () => number;
  /** The per-IP budget the HTTP routes use; stream upgrades spend from it too. */
  ipGate?: IpGate;
  /** The bot's per-conversation limiter: a visitor's post is counted before it is logged. */
  conversationLimiter?: Limiter;
}

export interface DirectLine {
  tokens: TokenService;
  logs: ConversationLogs;
  channel: DirectLineChannel;
  /** The serviceUrl our Direct Line turns carry (loopback connector routes); known once the server listens. */
  serviceUrl(): string;
  close(): void;
}

/** Mount the Direct Line endpoint (REST, WebSocket stream, connector routes) on the service's server. */
export function mountDirectLine(server: restify.Server, deps: DirectLineDeps): DirectLine {
  const { config, logger } = deps;
  const tokens = new TokenService(config.DIRECTLINE_TOKEN_SECRET, config.DIRECTLINE_TOKEN_TTL_SECONDS, deps.now);
  const logs = new ConversationLogs({
    idleMs: Math.max(60 * 60_000, 2 * config.DIRECTLINE_TOKEN_TTL_SECONDS * 1000),
    maxConversationBytes: config.DIRECTLINE_MAX_CONVERSATION_BYTES,
    maxTotalBytes: config.DIRECTLINE_MAX_TOTAL_BYTES,
    now: deps.now,
    ...deps.conversations,
  });
  logs.startSweeping();
  const key = tokens.derive('connector');

  const localHost = (): string => {
    const address = server.address() as AddressInfo | null;
    const port = address?.port ?? config.PORT;
    const host = !address || address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
    return `${host.includes(':') ? `[${host}]` : host}:${port}`;
  };
  const serviceUrl = () => `http://${localHost()}${CONNECTOR_PREFIX}/${key}`;

  registerCors(server, parseOrigins(config.DIRECTLINE_ALLOWED_ORIGINS));
  const channel = new DirectLineChannel({ config, logger, adapter: deps.adapter, bot: deps.bot, logs, serviceUrl, conversationLimiter: deps.conversationLimiter });
  registerDirectLineRoutes(server, { config, logger, tokens, logs, channel, localHost });
  registerConnectorRoutes(server, { logger, logs, channel, maxBodyBytes: config.MAX_BODY_BYTES, key });
  const stream = attachStream(server.server, { logger, tokens, logs, channel, ipGate: deps.ipGate });

  return {
    tokens,
    logs,
    channel,
    serviceUrl,
    close() {
      stream.close();
      logs.close();
    },
  };
}
