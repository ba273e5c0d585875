import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
/** Start-up loads and trains the knowledge base: seconds on an idle machine, much longer on a loaded one. */
const START_DEADLINE_MS = 90_000;

/** One instance of the real service in its own process (src/index.ts through tsx), as a deployment runs it. */
export interface Instance {
  name: string;
  url: string;
  pid: number;
  /** Resolves when the process has exited (after kill, or by itself). */
  exited: Promise<void>;
  /** The last lines it wrote, for a failing test's message. */
  output(): string;
  /** SIGKILL its whole process group (kill -9): no shutdown hook runs. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful shutdown), then SIGKILL if it lingers. */
  stop(): Promise<void>;
}

const running = new Set<Instance>();
// Should jest itself die, leave no service behind.
process.once('exit', () => {
  for (const i of running) killGroup(i.pid, 'SIGKILL');
});

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal); // the group: node and anything it started
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/**
 * Start src/index.ts in a child process on a free port (PORT=0; it logs the URL it
 * listens on) with its own data folder, and wait until it listens. The environment
 * is the test's own plus `env`; the child logs at info level to stdout (no message text there).
 */
export async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `gbac-${name}-`));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', NODE_NO_WARNINGS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so kill(-pid) reaches everything it started
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(line);
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  let onLine: ((line: string) => void) | undefined;
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    keep(chunk);
    const text = partial + chunk.toString('utf8');
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    for (const p of parts) onLine?.(p);
  });
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => rmSync(dataDir, { recursive: true, force: true }), () => undefined);

  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name}: could not start node`);
  const instance: Instance = {
    name,
    url: '',
    pid,
    exited,
    output: () => lines.slice(-40).join('\n'),
    async kill9() {
      killGroup(pid, 'SIGKILL');
      await exited;
      running.delete(instance);
    },
    async stop() {
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      running.delete(instance);
    },
  };
  running.add(instance);

  try {
    instance.url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start within ${START_DEADLINE_MS / 1000} s`)), START_DEADLINE_MS);
      onLine = (line) => {
        try {
          const entry = JSON.parse(line) as { event?: string; url?: string };
          if (entry.event === 'listening' && entry.url) {
            clearTimeout(timer);
            resolve(entry.url);
          }
        } catch {
          // not a log line
        }
      };
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`${name} exited during start-up`));
      });
    });
  } catch (err) {
    await instance.kill9();
    throw new Error(`${(err as Error).message}\n${instance.output()}`);
  }
  return instance;
}

/** Kill every instance still running (afterAll; safe when start-up failed half-way). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((i) => i.kill9()));
}

/**
 * GET /readyz until it answers `want` (readiness polling, never a fixed sleep). The
 * deadline only stops a broken build; each probe is itself bounded.
 */
export async function waitForReadiness(url: string, want: 200 | 503 = 200, deadlineMs = 60_000): Promise<number> {
  let status = 0;
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    try {
      status = (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(10_000) })).status;
    } catch {
      status = 0;
    }
    if (status === want) return status;
    await new Promise((r) => setTimeout(r, 250));
  }
  return status;
}
