import { NAGLE_FIX } from '../../../simulator/adapters/index.js';
import type { ExternalBroker, ScenarioEnvironment } from '../../results/scenario-evidence-types.js';

/** One row of the report's test set-up table. */
export interface SetupRow {
  readonly label: string;
  readonly value: string;
}

function brokerText(broker: ScenarioEnvironment['broker']): string {
  if (broker.kind === 'embedded') return 'embedded MQTT broker (aedes) in the trialsim process, on loopback';
  const at = `external MQTT broker at ${broker.url}`;
  if (broker.software !== undefined)
    return `${at}: ${broker.software} (as it announces on $SYS/broker/version)`;
  if (broker.probeFailed !== undefined)
    return `${at}: software unknown (trialsim could not ask: ${broker.probeFailed})`;
  return `${at}: software unknown (it announced nothing on $SYS/broker/version)`;
}

const ms = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const low = sorted[0] as number;
  const high = sorted[sorted.length - 1] as number;
  return low === high ? `${low} ms` : `${low}–${high} ms`;
};

/**
 * The broker rows of the test set-up: each broker once, then (external brokers only) the round
 * trips measured at each scenario's start, and whether the broker delayed its answers: a
 * reviewer reading slow figures then knows why, and the operator what to change. Merged shards
 * may have run on different brokers: each has its own round-trip row, named when there are several.
 */
export function brokerSetupRows(environments: readonly ScenarioEnvironment[]): SetupRow[] {
  const brokers = new Set(environments.map((e) => brokerText(e.broker)));
  const rows: SetupRow[] = [...brokers].map((value) => ({ label: 'Broker', value }));
  const timingsByUrl = new Map<string, ExternalTiming[]>();
  for (const { broker } of environments) {
    if (broker.kind !== 'external' || broker.timing === undefined) continue;
    timingsByUrl.set(broker.url, [...(timingsByUrl.get(broker.url) ?? []), broker.timing]);
  }
  for (const [url, timings] of timingsByUrl) {
    rows.push({
      label: timingsByUrl.size === 1 ? 'Broker round trips' : `Broker round trips (${url})`,
      value: roundTripText(timings),
    });
  }
  return rows;
}

type ExternalTiming = NonNullable<ExternalBroker['timing']>;

function roundTripText(timings: readonly ExternalTiming[]): string {
  const delayed = timings.filter((t) => t.nagleDelay).length;
  const over =
    timings.length === 1
      ? 'at the start of the scenario'
      : `at the start of each of ${timings.length} scenarios`;
  const measured = `PUBLISH → PUBACK ${ms(timings.map((t) => t.roundTripMs))}, two PUBLISHes together → both PUBACKs ${ms(timings.map((t) => t.pairedRoundTripMs))}, ${over} (real clock)`;
  return delayed === 0
    ? `${measured}: no delayed answers`
    : `${measured}: the broker held small writes back (Nagle's algorithm) in ${delayed} of ${timings.length}, so each answer waited for a delayed ACK and the run was slower than the simulation needs; for mosquitto, ${NAGLE_FIX}`;
}
