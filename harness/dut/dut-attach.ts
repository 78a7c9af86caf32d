import { TrialsimError } from '../../simulator/errors.js';
import type { LoadedScenario } from '../scenario/scenario-loader.js';
import type { SimStack } from '../stack/sim-stack.js';
import { dutFactoryState } from './dut-factory-state.js';
import { DutLink } from './dut-link.js';
import type { DutOptions } from './dut-options.js';
import { registerDeviceUnderTest } from './dut-registry.js';
import { notApplicableReason } from './step-credit.js';

/**
 * The runner's `onStackStarted` hook for `--dut`: once the simulated world is up (without the
 * devices under test), connect a DutLink for each, which resets the device and waits for it.
 * Links already attached when a later one fails are stopped with the stack.
 */
export function attachDevicesUnderTest(
  options: DutOptions,
): (stack: SimStack, scenario: LoadedScenario) => Promise<void> {
  return async (stack, scenario) => {
    const reason = notApplicableReason(
      scenario.definition.steps as readonly Record<string, unknown>[],
      new Set(options.ids),
    );
    // Reported as not applicable (a skipped scenario with the reason), not as an error.
    if (reason !== undefined)
      throw new TrialsimError('DUT_NOT_APPLICABLE', `not applicable to a device under test: ${reason}`);
    for (const id of options.ids) {
      const spec = stack.deviceSpec(id);
      const link = await DutLink.start({
        spec,
        factory: dutFactoryState(stack.pki, spec, stack.clock.now()),
        expectedKaPublic: stack.pki.device(spec.eui).ka.keys.publicKey,
        brokerUrl: stack.brokerUrl,
        stackTopics: stack.topics,
        dutNamespace: options.namespace,
        tracker: stack.tracker,
        clock: stack.clock,
        trace: stack.trace,
        ...(options.replyGuardMs === undefined ? {} : { replyGuardMs: options.replyGuardMs }),
        ...(options.resetGuardMs === undefined ? {} : { resetGuardMs: options.resetGuardMs }),
        ...(options.imageHashes?.[id] === undefined ? {} : { declaredImageHash: options.imageHashes[id] }),
      });
      stack.attachExternalDevice(id, link);
      registerDeviceUnderTest(stack, id, link);
    }
  };
}
