// First: V8's heap flags, before the SDK and the knowledge are loaded (src/v8Heap.ts).
import { heapTuning } from './heapTuning';
import { config as loadDotenv } from 'dotenv';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { KnowledgeFileError } from './core/knowledge/load';
import { describeStore } from './stores';

/** Start the bot: `npm start`. A bad setting or a broken knowledge file stops here with one clear line. */
async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  let app;
  try {
    const config = loadConfig();
    app = createApp(config);
    const url = await app.listen();
    // Built after listening: start-up stays short, and the first Spanish visitor does not wait for it.
    const started = app;
    setImmediate(() => started.warm());
    app.logger.info(
      { event: 'listening', url, auth: config.authEnabled ? 'on' : 'off', store: describeStore(config), heap: heapTuning.applied },
      `bot listening on ${url}/api/messages`,
    );
  } catch (err) {
    if (err instanceof ConfigError || err instanceof KnowledgeFileError) {
      console.error(err.message);
      process.exit(1);
    }
    console.error(`Start-up failed: ${(err as Error).message}`);
    process.exit(1);
  }

  const shutdown = (signal: string) => {
    app.logger.info({ event: 'shutdown', signal }, 'shutting down');
    app.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('unhandledRejection', (reason) => {
    app.logger.error({ event: 'unhandled-rejection', err: String((reason as Error)?.message ?? reason) }, 'unhandled rejection');
  });
}

void main();
