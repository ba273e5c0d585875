import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import pino from 'pino';
import { AlertDispatcher } from '../../../../src/core/handoff/alertDispatcher';
import { HandoffService } from '../../../../src/core/handoff/handoffService';
import { WebhookChannel, type WebhookBody } from '../../../../src/core/handoff/webhook';
import { PgAlertOutbox } from '../../../../src/core/storage/postgres/pgAlertOutbox';
import { PgDatabase } from '../../../../src/core/storage/postgres/pgDatabase';
import { PgHandoffStore } from '../../../../src/core/storage/postgres/pgHandoffStore';
import { fullRequest, settled } from '../../handoff/helpers';
import { usePgSchema } from '../../../helpers/pg';

const schema = usePgSchema('outbox');
const quiet = pino({ level: 'silent' });

interface Instance {
  db: PgDatabase;
  handoffs: HandoffService;
  outbox: PgAlertOutbox;
  dispatcher: AlertDispatcher;
}

describe('PgAlertOutbox with two instances', () => {
  let instances: Instance[] = [];
  let server: http.Server;
  let received: WebhookBody[] = [];

  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
  });

  beforeEach(async () => {
    received = [];
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookBody);
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });

  afterEach(async () => {
    for (const i of instances) await i.dispatcher.close();
    await Promise.all(instances.map((i) => i.db.close()));
    instances = [];
    await new Promise((r) => server.close(r));
  });

  /** One process of the service: its own pool, queue and dispatcher, on the shared database. */
  function instance(): Instance {
    const db = new PgDatabase(schema().url);
    const handoffs = new HandoffService(new PgHandoffStore(db));
    const outbox = new PgAlertOutbox(db);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const dispatcher = new AlertDispatcher(new WebhookChannel({ url, secret: 'test-secret-0123456789' }), outbox, quiet, { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 4 });
    handoffs.addNotifier(dispatcher);
    dispatcher.start();
    const i = { db, handoffs, outbox, dispatcher };
    instances.push(i);
    return i;
  }

  it('when both instances deliver alerts of shared requests, then each alert is sent exactly once and each request in order', async () => {
    const [one, two] = [instance(), instance()];
    const ids: string[] = [];
    for (let k = 0; k < 6; k++) {
      const created = await (k % 2 ? one : two).handoffs.create(fullRequest({ conversationId: `c${k}` }));
      // The claim and the resolution happen on the other instance, as when staff use another replica,
      // after the alert before them went out (staff act on what they were told). Alerts are queued after
      // the change commits, so two instances' alerts a few ms apart have no order of their own.
      await settled(one.outbox, created.id, 1);
      await (k % 2 ? two : one).handoffs.claim(created.id, 'maria');
      await settled(one.outbox, created.id, 2);
      await (k % 2 ? one : two).handoffs.resolve(created.id, 'maria');
      ids.push(created.id);
    }
    for (const id of ids) {
      const deliveries = await settled(one.outbox, id, 3);
      expect(deliveries.map((d) => [d.event, d.status, d.attempts])).toEqual([
        ['created', 'delivered', 1],
        ['claimed', 'delivered', 1],
        ['resolved', 'delivered', 1],
      ]);
    }
    expect(new Set(received.map((b) => b.id)).size).toBe(received.length);
    expect(received).toHaveLength(18);
    for (const id of ids) {
      expect(received.filter((b) => b.request.id === id).map((b) => b.type)).toEqual(['handoff.created', 'handoff.claimed', 'handoff.resolved']);
    }
  });
});
