/**
 * The simulator's clocks.
 *
 * The public entry: harness/ imports this layer only through this file (the layer rule in
 * biome.json; docs/architecture.md). It exports what the harness uses; files inside
 * simulator/ import each other directly. A harness file that needs more adds it here.
 */
export { addDuration, parseDuration } from './durations.js';
export { SeededRandom } from './seeded-random.js';
export { VirtualClock } from './virtual-clock.js';
