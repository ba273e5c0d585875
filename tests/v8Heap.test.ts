import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { MAX_SEMI_SPACE_MB } from '../src/v8Heap';

const ROOT = path.join(__dirname, '..');

/**
 * A fresh process (the flags are process-wide) keeps many young objects alive, turn after
 * turn of its event loop, and reports the largest young generation V8 committed.
 */
function largestYoungGenerationMb(tuned: boolean): number {
  const script = `
    const v8 = require('node:v8');
    if (${tuned}) require('./src/v8Heap').tuneHeap([], '');
    const ring = new Array(50000);
    let at = 0, largest = 0, turn = 0;
    const step = () => {
      for (let k = 0; k < 2000; k++) { ring[at] = { a: [k, turn], s: 'x' + k + turn }; at = (at + 1) % ring.length; }
      largest = Math.max(largest, v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
      if (++turn < 200) setImmediate(step); else console.log(largest / 1048576);
    };
    setImmediate(step);`;
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, env, encoding: 'utf8', timeout: 20_000 });
  if (run.status !== 0) throw new Error(`child failed: ${run.stderr}`);
  return Number(run.stdout.trim());
}

describe('V8 heap tuning', () => {
  it('when many young objects survive, then the young generation stays within its cap (both semi-spaces), where V8 alone grows it past', () => {
    const cap = 2 * MAX_SEMI_SPACE_MB;
    expect(largestYoungGenerationMb(false)).toBeGreaterThan(cap);
    expect(largestYoungGenerationMb(true)).toBeLessThanOrEqual(cap);
  });
});
