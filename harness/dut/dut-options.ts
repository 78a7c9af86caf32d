import { TrialsimError } from '../../simulator/errors.js';

/** How a run reaches its devices under test (`trialsim run --dut esme1`). */
export interface DutOptions {
  /** Scenario device ids played by external devices instead of simulated ones. */
  readonly ids: readonly string[];
  /** The topic namespace the devices were provisioned with (PROTOCOL.md §1). */
  readonly namespace: string;
  /** Real-time guard for a device's answer to a command; past it the bus counts as quiet. */
  readonly replyGuardMs?: number;
  /** Real-time guard for a device's `ready` after a reset. */
  readonly resetGuardMs?: number;
}

/**
 * `--dut <id>[=mqtt]`: the device connects to the broker itself, directly or through
 * `trialsim bridge` for a device on a serial line — to the run both look the same.
 */
export function parseDutArgument(value: string, previous: string[] = []): string[] {
  const [id, how = 'mqtt'] = value.split('=', 2);
  if (id === undefined || !/^[A-Za-z0-9_-]+$/.test(id)) {
    throw new TrialsimError('USAGE', `--dut "${value}": name a scenario device id, e.g. --dut esme1`);
  }
  if (how !== 'mqtt') {
    throw new TrialsimError(
      'USAGE',
      `--dut ${id}=${how}: only "mqtt" is supported (a serial device joins through: trialsim bridge --serial PATH)`,
    );
  }
  return [...previous, id];
}
