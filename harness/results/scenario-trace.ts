import type { TraceEntry } from '../../simulator/trace/index.js';

/** One scenario's messages as the DCC saw them, with readable names for EUIs. */
export interface ScenarioTrace {
  readonly scenario: string;
  readonly entries: readonly TraceEntry[];
  /** EUI (or `DCC`) → party name or device id, for people and for sequence diagrams. */
  readonly names: Readonly<Record<string, string>>;
}
