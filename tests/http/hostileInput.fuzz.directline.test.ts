import { fuzzSuite } from '../helpers/fuzz';

// Half of the fuzz (see tests/helpers/fuzz.ts): the other endpoint's half runs in its own file, on the other worker.
fuzzSuite('directline');
