import type { Reporter } from '../reporters/reporter.js';
import type { SuiteOptions } from '../suite/run-suite.js';
import { ConformanceReporter } from './conformance-reporter.js';
import { attachDevicesUnderTest } from './dut-attach.js';
import { DEFAULT_DUT_NAMESPACE } from './provisioning.js';

/** The tag of scenarios in the conformance suite: those that apply to a device under test. */
export const CONFORMANCE_TAG = 'dut';

/**
 * What `trialsim run --dut …` adds to a suite run: the devices are not simulated but attached
 * (harness/dut/dut-attach.ts), only scenarios tagged `dut` run unless a filter says otherwise,
 * and conformance.json (handed to the evidence bundle) says which device requirements passed.
 */
export function dutSuiteOptions(options: {
  readonly ids: readonly string[];
  readonly namespace?: string;
  readonly filter?: string;
  readonly print?: (line: string) => void;
  /** Real-time guard for the device's `ready` after a reset (default 10 s). */
  readonly resetGuardMs?: number;
  /** Real-time guard for the device's answer to a command. */
  readonly replyGuardMs?: number;
  /** Running image SHA-256 per device id, declared by the operator (`--dut-image-hash`). */
  readonly imageHashes?: Readonly<Record<string, string>>;
}): Pick<SuiteOptions, 'externalDevices' | 'onStackStarted' | 'filter'> & { reporters: Reporter[] } {
  if (options.ids.length === 0)
    return { reporters: [], ...(options.filter === undefined ? {} : { filter: options.filter }) };
  return {
    externalDevices: options.ids,
    onStackStarted: attachDevicesUnderTest({
      ids: options.ids,
      namespace: options.namespace ?? DEFAULT_DUT_NAMESPACE,
      ...(options.resetGuardMs === undefined ? {} : { resetGuardMs: options.resetGuardMs }),
      ...(options.replyGuardMs === undefined ? {} : { replyGuardMs: options.replyGuardMs }),
      ...(options.imageHashes === undefined ? {} : { imageHashes: options.imageHashes }),
    }),
    filter: options.filter ?? CONFORMANCE_TAG,
    reporters: [new ConformanceReporter(options.ids, options.print)],
  };
}
