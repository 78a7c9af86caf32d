/**
 * The simulator's nodes (the DCC and devices on the bus).
 *
 * The public entry: harness/ imports this layer only through this file (the layer rule in
 * biome.json; docs/architecture.md). It exports what the harness uses; files inside
 * simulator/ import each other directly. A harness file that needs more adds it here.
 */
export { DccNode } from './dcc-node.js';
export { DeviceNode } from './device-node.js';
