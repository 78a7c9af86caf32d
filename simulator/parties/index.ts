/**
 * The simulator's parties (DCC Users, network operators, the CoS party).
 *
 * The public entry: harness/ imports this layer only through this file (the layer rule in
 * biome.json; docs/architecture.md). It exports what the harness uses; files inside
 * simulator/ import each other directly. A harness file that needs more adds it here.
 */
export {
  DccUserAgent,
  type FinalOutcome,
  type RequestHandle,
  type SigningMode,
  type UserKeyAgreement,
} from './dcc-user-agent.js';
