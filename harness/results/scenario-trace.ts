import type { TraceEntry } from '../../simulator/trace/index.js';

/** One scenario's messages as the DCC saw them, with readable names for EUIs. */
export interface ScenarioTrace {
  readonly scenario: string;
  /** In order; iterable more than once (a large run's entries are read back from a spill each time). */
  readonly entries: Iterable<TraceEntry>;
  /** EUI (or `DCC`) → party name or device id, for people and for sequence diagrams. */
  readonly names: Readonly<Record<string, string>>;
}
