import { PerformanceObserver } from 'node:perf_hooks';
import * as v8 from 'node:v8';

/**
 * V8's heap sizing for a small service that runs for weeks, set at run time with
 * v8.setFlagsFromString. `src/index.ts` imports src/heapTuning.ts (which calls tuneHeap)
 * before anything else, so it applies to `node dist/src/index.js` and `npm start` alike;
 * the benchmark's service, scripts/bench-server.ts, does the same, so it measures what
 * production runs.
 *
 * V8's defaults suit a browser tab or a batch job with memory to spare. This service keeps
 * about 70 MB live, yet under load its old generation grew to 250 MB before a full
 * collection (V8 lets it grow up to about four times what survived the last one), and the
 * young generation's two semi-spaces grew to 16 MB each during start-up and stayed there:
 * 400 MB resident after 10,000 conversations, most of it garbage or empty pages. (A turn
 * promotes about 30 KB to the old generation although it keeps nothing: the Bot Framework
 * SDK is compiled to `__awaiter` helpers that make a generator function per call, whose
 * map V8 allocates in the old generation, and that map keeps the turn's objects reachable
 * from young collections until the next full one.)
 *
 *  - `--heap-growing-percent=50`: after a full collection the old generation may grow by
 *    half of what survived before the next one. V8 reads the flag at every collection.
 *    (25, with a 4 MB young generation, kept 25 MB less after 10,000 conversations, for
 *    3–5% more CPU per turn than V8's defaults; 50 with 8 MB measured the same as them.)
 *  - The young generation starts at 1 MB per semi-space (the growth factor is 1 while the
 *    app is built: start-up allocates mostly the knowledge that stays, which a larger young
 *    generation would only copy more times) and may then grow to MAX_SEMI_SPACE_MB per
 *    semi-space under load. `--max-semi-space-size` is only read when the process starts,
 *    but V8 reads `--semi-space-growth-factor` each time it grows the young generation, so
 *    the cap is kept by switching that factor after each collection (it may overshoot by
 *    one doubling when several collections happen within one long task).
 *
 * A flag given on the command line (`node --heap-growing-percent=100 dist/src/index.js`) or
 * in NODE_OPTIONS (`--max-semi-space-size=16`, which V8 then honours itself) is left alone.
 */
export const HEAP_GROWING_PERCENT = 50;
export const MAX_SEMI_SPACE_MB = 8;

const MB = 1024 * 1024;

/** Option names given to this process (`--max_semi_space_size=8` → `max-semi-space-size`). */
export function givenFlags(execArgv: readonly string[], nodeOptions = ''): Set<string> {
  const names = [...execArgv, ...nodeOptions.split(/\s+/)]
    .filter((arg) => arg.startsWith('--'))
    .map((arg) => arg.slice(2).split('=')[0]!.replace(/_/g, '-').replace(/^no-/, ''));
  return new Set(names);
}

export interface HeapTuning {
  /** The flags set here, e.g. ['--heap-growing-percent=50', 'semi-space cap 8 MB']. */
  applied: string[];
  /** Stop keeping the young-generation cap (tests). */
  stop(): void;
}

/** The young generation's committed size: both semi-spaces. */
function newSpaceBytes(): number {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

export function tuneHeap(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): HeapTuning {
  const given = givenFlags(execArgv, nodeOptions);
  const applied: string[] = [];
  if (!given.has('heap-growing-percent')) {
    v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    applied.push(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  }
  let observer: PerformanceObserver | undefined;
  if (!given.has('max-semi-space-size') && !given.has('semi-space-growth-factor')) {
    let growing = false;
    v8.setFlagsFromString('--semi-space-growth-factor=1');
    const keepCap = () => {
      const grow = newSpaceBytes() < 2 * MAX_SEMI_SPACE_MB * MB;
      if (grow === growing) return;
      growing = grow;
      v8.setFlagsFromString(`--semi-space-growth-factor=${grow ? 2 : 1}`);
    };
    // Runs after collections, once the synchronous start-up is over.
    observer = new PerformanceObserver(keepCap);
    observer.observe({ entryTypes: ['gc'] });
    applied.push(`semi-space cap ${MAX_SEMI_SPACE_MB} MB`);
  }
  return {
    applied,
    stop: () => observer?.disconnect(),
  };
}
