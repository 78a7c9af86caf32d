import {
  type EmbeddedBroker,
  MqttTransport,
  startEmbeddedBroker,
} from '../../../simulator/adapters/index.js';
import type { DeviceDefect } from '../../../simulator/domain/index.js';
import { TrialsimError } from '../../../simulator/errors.js';
import type { RunResults } from '../../results/result-types.js';
import { loadScenario } from '../../scenario/scenario-loader.js';
import { discoverScenarios } from '../../suite/discover.js';
import { runSuite } from '../../suite/run-suite.js';
import { type ConformanceReport, conformanceReport, creditsFor } from '../conformance-reporter.js';
import { DeviceHost } from '../device-host.js';
import { CONFORMANCE_TAG, dutSuiteOptions } from '../dut-run.js';
import { buildProvisioning, DEFAULT_DUT_NAMESPACE, type Provisioning } from '../provisioning.js';

/** The scenario device the conformance suite puts the device under test in place of. */
export const DUT_ID = 'esme1';
export const CONFORMANCE_SEED = 'conformance';

/** The conformance suite: every scenario tagged `dut` (discovered, so new ones join by their tag). */
export async function conformanceFiles(paths: readonly string[] = ['scenarios']): Promise<string[]> {
  const files = await discoverScenarios(paths);
  const tagged: string[] = [];
  for (const file of files) {
    const scenario = await loadScenario(file);
    if (scenario.definition.tags.includes(CONFORMANCE_TAG)) tagged.push(file);
  }
  return tagged;
}

/** esme1's provisioning, from the first conformance scenario that has it (all agree on it). */
async function provisioningFor(files: readonly string[], brokerUrl: string): Promise<Provisioning> {
  for (const file of files) {
    const scenario = await loadScenario(file);
    const spec = scenario.devices.find((d) => d.id === DUT_ID);
    if (spec === undefined) continue;
    const { provisioning } = await buildProvisioning({
      seed: CONFORMANCE_SEED,
      spec,
      start: scenario.start,
      brokerUrl,
      namespace: DEFAULT_DUT_NAMESPACE,
    });
    return provisioning;
  }
  throw new TrialsimError('USAGE', `no conformance scenario has a device "${DUT_ID}"`);
}

/**
 * The reference device (`trialsim device`, in this process but talking only over MQTT) on a
 * broker of its own, with at most one named defect, while the conformance suite runs against it
 * exactly as `trialsim run --dut esme1` would against a manufacturer's device.
 */
export class ConformanceBench {
  private constructor(
    private readonly broker: EmbeddedBroker,
    private readonly files: readonly string[],
    private readonly provisioning: Provisioning,
  ) {}

  static async start(files: readonly string[]): Promise<ConformanceBench> {
    const broker = await startEmbeddedBroker();
    try {
      return new ConformanceBench(broker, files, await provisioningFor(files, broker.url));
    } catch (err) {
      await broker.close();
      throw err;
    }
  }

  /** Runs the whole suite against the reference device with `defect` (none: the real thing). */
  async run(
    defect: DeviceDefect | undefined,
    bail = false,
  ): Promise<{ results: RunResults; report: ConformanceReport }> {
    const transport = await MqttTransport.connect({
      url: this.broker.url,
      clientId: `${DEFAULT_DUT_NAMESPACE}-device-${this.provisioning.device.eui}`,
    });
    const host = await DeviceHost.start({
      provisioning: this.provisioning,
      transport,
      ...(defect === undefined ? {} : { defect }),
    });
    try {
      const dut = dutSuiteOptions({ ids: [DUT_ID], resetGuardMs: 10_000 });
      const results = await runSuite({
        files: this.files,
        seed: CONFORMANCE_SEED,
        brokerUrl: this.broker.url,
        bail,
        ...(dut.externalDevices === undefined ? {} : { externalDevices: dut.externalDevices }),
        ...(dut.onStackStarted === undefined ? {} : { onStackStarted: dut.onStackStarted }),
        reporters: [],
      });
      return { results, report: conformanceReport([DUT_ID], results, await creditsFor([DUT_ID], results)) };
    } finally {
      await host.stop();
    }
  }

  async stop(): Promise<void> {
    await this.broker.close();
  }
}
