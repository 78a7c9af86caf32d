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
  /** Running image SHA-256 (hex) per device id, as the operator declares it (`--dut-image-hash`). */
  readonly imageHashes?: Readonly<Record<string, string>>;
}

/** `--dut-image-hash <id>=<sha256>`: the image a device under test runs, declared by the operator. */
export function parseDutImageHash(
  value: string,
  previous: Record<string, string> = {},
): Record<string, string> {
  const match = /^([A-Za-z0-9_-]+)=([0-9a-fA-F]{64})$/.exec(value);
  if (match === null) {
    throw new TrialsimError(
      'USAGE',
      `--dut-image-hash "${value}": give a scenario device id and the SHA-256 of the image it runs, e.g. --dut-image-hash esme1=<64 hex digits>`,
    );
  }
  return { ...previous, [match[1] as string]: (match[2] as string).toLowerCase() };
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
