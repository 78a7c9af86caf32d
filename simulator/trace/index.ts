/**
 * The simulator's message trace.
 *
 * The public entry: harness/ imports this layer only through this file (the layer rule in
 * biome.json; docs/architecture.md). It exports what the harness uses; files inside
 * simulator/ import each other directly. A harness file that needs more adds it here.
 */
export { MessageTrace, SPILL_BATCH, type TraceEntry, type TraceSpill } from './message-trace.js';
