/**
 * Imported first by the service's entry points (src/index.ts, scripts/bench-server.ts):
 * the heap flags must be set before loading the SDK and the knowledge allocates. See v8Heap.ts.
 */
import { tuneHeap } from './v8Heap';

export const heapTuning = tuneHeap();
