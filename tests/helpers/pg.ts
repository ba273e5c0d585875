import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import { Client } from 'pg';

/** The PostgreSQL the tests use; CI starts it (.ci/run). Trust auth, user postgres. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The test database, with search_path pointed at one schema (so tests never see each other's tables). */
export function schemaUrl(schema: string, base = TEST_DATABASE_URL): string {
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/** Run fn on a plain connection to the test database; an unreachable server fails loudly, never skips. */
export async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL tests need a server at ${TEST_DATABASE_URL} (${(err as Error).message}). ` +
        'Start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start; createdb -h 127.0.0.1 -U postgres test) or set TEST_DATABASE_URL.',
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestSchema {
  schema: string;
  /** TEST_DATABASE_URL with search_path set to the schema. */
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty schema in the test database. */
export async function createSchema(prefix = 't'): Promise<TestSchema> {
  const schema = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  await withAdmin((c) => c.query(`CREATE SCHEMA ${schema}`));
  return {
    schema,
    url: schemaUrl(schema),
    drop: () => withAdmin((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).then(() => undefined),
  };
}

/** One fresh schema for a whole test file (created before its tests, dropped after). */
export function usePgSchema(prefix: string): () => TestSchema {
  let current: TestSchema | undefined;
  beforeAll(async () => {
    current = await createSchema(prefix);
  });
  afterAll(async () => {
    await current?.drop();
  });
  return () => {
    if (!current) throw new Error('usePgSchema: the schema is only there once beforeAll has run');
    return current;
  };
}

/** A loopback port that nothing listens on (yet). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A TCP relay to PostgreSQL that a test can switch off (refuse connections and
 * cut the open ones, as a database restart does) or turn into a black hole
 * (accept and say nothing, as a lost network does), or freeze (the open
 * connections fall silent too, as in a network partition).
 */
export class PgRelay {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  private blackHole = false;

  constructor(
    readonly port: number,
    private readonly target = new URL(TEST_DATABASE_URL),
  ) {}

  /** TEST_DATABASE_URL through the relay, with search_path set to schema. */
  url(schema: string): string {
    const url = new URL(schemaUrl(schema));
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  async start(mode: 'relay' | 'black-hole' = 'relay'): Promise<void> {
    this.blackHole = mode === 'black-hole';
    if (this.server) return;
    const server = net.createServer((client) => {
      this.track(client);
      if (this.blackHole) return;
      const upstream = net.connect(Number(this.target.port || 5432), this.target.hostname);
      this.track(upstream);
      client.pipe(upstream).pipe(client);
      const pair: [net.Socket, net.Socket] = [client, upstream];
      this.pairs.add(pair);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => {
        client.destroy();
        this.pairs.delete(pair);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.server = server;
  }

  /** A partition: open connections stay open but nothing passes either way, and new ones get no answer. */
  freeze(): void {
    this.blackHole = true;
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** Refuse new connections and cut every open one. */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.pairs.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }
}
