import { NAGLE_FIX } from '../../simulator/adapters/index.js';
import type { ScenarioResult } from '../results/result-types.js';
import type { Reporter } from './reporter.js';

/** The warning for a broker that held its answers back, from the scenario's measured round trips. */
export function nagleWarning(result: ScenarioResult): string | undefined {
  const broker = result.environment?.broker;
  if (broker?.kind !== 'external' || broker.timing?.nagleDelay !== true) return undefined;
  const { roundTripMs, pairedRoundTripMs } = broker.timing;
  return `warning: the broker at ${broker.url} delays its answers (Nagle's algorithm: two messages at once took ${pairedRoundTripMs} ms against ${roundTripMs} ms for one), which slows every request and response; for mosquitto, ${NAGLE_FIX}`;
}

/**
 * Warns once a run, on the first scenario whose broker held small writes back: the operator learns
 * why a run is slow while it is still running (a 100-device trial on stock mosquitto: 84 s, 2.6 s
 * with the fix), and the evidence keeps the figures of every scenario.
 */
export class NagleWarningReporter implements Reporter {
  private warned = false;

  constructor(private readonly print: (line: string) => void = (line) => process.stderr.write(`${line}\n`)) {}

  onScenarioEnd(result: ScenarioResult): void {
    if (this.warned) return;
    const warning = nagleWarning(result);
    if (warning === undefined) return;
    this.warned = true;
    this.print(warning);
  }
}
