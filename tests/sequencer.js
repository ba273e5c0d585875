const Sequencer = require('@jest/test-sequencer').default;

/**
 * Slow files first, then the rest as jest orders them (by past duration, else size):
 * on a clean clone jest has no durations, and a browser test started last kept one
 * worker busy long after the other had finished.
 */
class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const slow = (t) => (t.context.config.displayName?.name === 'slow' ? 0 : 1);
    return [...sorted].sort((a, b) => slow(a) - slow(b));
  }
}
module.exports = SlowFirstSequencer;
