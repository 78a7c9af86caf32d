import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceHost } from '../../../harness/dut/device-host.js';
import { dutSuiteOptions } from '../../../harness/dut/dut-run.js';
import {
  buildProvisioning,
  DEFAULT_DUT_NAMESPACE,
  type Provisioning,
} from '../../../harness/dut/provisioning.js';
import { loadScenario } from '../../../harness/scenario/scenario-loader.js';
import { runSuite } from '../../../harness/suite/run-suite.js';
import {
  type EmbeddedBroker,
  startEmbeddedBroker,
} from '../../../simulator/adapters/mqtt/embedded-broker.js';
import { MqttTransport } from '../../../simulator/adapters/mqtt/mqtt-transport.js';
import type { Transport } from '../../../simulator/ports/transport.js';

const SEED = 'dut-user-errors';
const SCENARIO = 'scenarios/commissioning.yaml';

/** A device that answers the harness's resets but drops every command (a firmware that hangs). */
function droppingCommands(inner: Transport, wanDown: string): Transport {
  return {
    clientId: inner.clientId,
    publish: (topic, payload) => inner.publish(topic, payload),
    subscribe: (filters, handler) =>
      inner.subscribe(filters, (topic, bytes) => (topic === wanDown ? undefined : handler(topic, bytes))),
    close: () => inner.close(),
  };
}

describe('clear errors for a device-under-test user', () => {
  let broker: EmbeddedBroker;
  let provisioning: Provisioning;

  beforeEach(async () => {
    broker = await startEmbeddedBroker();
    const scenario = await loadScenario(SCENARIO);
    const spec = scenario.devices.find((d) => d.id === 'esme1');
    if (spec === undefined) throw new Error(`${SCENARIO} has no esme1`);
    ({ provisioning } = await buildProvisioning({
      seed: SEED,
      spec,
      start: scenario.start,
      brokerUrl: broker.url,
      namespace: DEFAULT_DUT_NAMESPACE,
    }));
  });
  afterEach(async () => {
    await broker.close();
  });

  const clientId = () => `${DEFAULT_DUT_NAMESPACE}-device-${provisioning.device.eui}`;

  async function run(files: readonly string[]) {
    const dut = dutSuiteOptions({ ids: ['esme1'], resetGuardMs: 5_000, replyGuardMs: 1_000 });
    return runSuite({
      files,
      seed: SEED,
      brokerUrl: broker.url,
      ...(dut.externalDevices === undefined ? {} : { externalDevices: dut.externalDevices }),
      ...(dut.onStackStarted === undefined ? {} : { onStackStarted: dut.onStackStarted }),
      reporters: [],
    });
  }

  it('a device that never answers a command: the failing step says the device under test did not answer', async () => {
    const transport = await MqttTransport.connect({ url: broker.url, clientId: clientId() });
    const host = await DeviceHost.start({
      provisioning,
      transport: droppingCommands(transport, provisioning.topics.wanDown),
    });
    try {
      const results = await run([SCENARIO]);
      const scenario = results.scenarios[0];
      expect(scenario?.verdict).toBe('failed');
      // The DCC's E21 alone would not say whose fault it is: the step names the device under test.
      expect(scenario?.message).toMatch(/expected I0, got E21/);
      expect(scenario?.message).toContain(
        `device under test esme1 (${provisioning.device.eui}) did not answer within 1000 ms (real time) a message sent on ${provisioning.topics.wanDown}`,
      );
    } finally {
      await host.stop();
    }
  }, 120_000);

  it('a second client answering with the same provisioning: the run fails naming it, not a passing run', async () => {
    const first = await DeviceHost.start({
      provisioning,
      transport: await MqttTransport.connect({ url: broker.url, clientId: clientId() }),
    });
    const second = await DeviceHost.start({
      provisioning,
      transport: await MqttTransport.connect({ url: broker.url, clientId: `${clientId()}-again` }),
    });
    try {
      const results = await run(['scenarios/conformance-decommissioned-and-time.yaml']);
      const scenario = results.scenarios[0];
      expect(scenario?.verdict).toBe('failed');
      expect(scenario?.message).toMatch(
        /DUT-ONE-DEVICE: (two devices answered one reset|more "handled" reports than messages sent)/,
      );
      expect(scenario?.message).toContain('a second');
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  }, 120_000);

  it('a step that needs a simulated device ends in a named error saying so, not a crash or a wrong verdict', async () => {
    const host = await DeviceHost.start({
      provisioning,
      transport: await MqttTransport.connect({ url: broker.url, clientId: clientId() }),
    });
    try {
      const results = await run(['test/integration/dut/scenarios/needs-device-memory-dut.yaml']);
      const scenario = results.scenarios[0];
      expect(scenario?.verdict).toBe('error');
      expect(scenario?.message).toMatch(
        /^step 1 \(.*\): esme1 is a device under test here: this step needs a simulated device/,
      );
    } finally {
      await host.stop();
    }
  }, 120_000);

  it("a second client logging in with the device's client id during the run: the failing step names it", async () => {
    const first = await DeviceHost.start({
      provisioning,
      transport: await MqttTransport.connect({ url: broker.url, clientId: clientId() }),
    });
    let second: DeviceHost | undefined;
    try {
      const dut = dutSuiteOptions({ ids: ['esme1'], resetGuardMs: 5_000, replyGuardMs: 1_000 });
      const attach = dut.onStackStarted;
      if (attach === undefined) throw new Error('no DUT hook');
      const results = await runSuite({
        files: ['scenarios/conformance-decommissioned-and-time.yaml'],
        seed: SEED,
        brokerUrl: broker.url,
        ...(dut.externalDevices === undefined ? {} : { externalDevices: dut.externalDevices }),
        // Once the device under test is reset and ready, a second one logs in with its client id
        // (the broker drops the first) and announces itself, as a second `trialsim device` would.
        onStackStarted: async (stack, scenario) => {
          await attach(stack, scenario);
          second = await DeviceHost.start({
            provisioning,
            transport: await MqttTransport.connect({ url: broker.url, clientId: clientId() }),
          });
        },
        reporters: [],
      });
      const scenario = results.scenarios[0];
      // The conduct check (one device answering as that EUI) fails the run, naming the client id.
      expect(scenario?.verdict).toBe('failed');
      expect(scenario?.message).toMatch(/check conduct\): esme1 broke DUT-ONE-DEVICE/);
      expect(scenario?.message).toContain(
        `a device announced itself as ${provisioning.device.eui} during the run: it restarted, or a second client uses its id (${clientId()})`,
      );
    } finally {
      await Promise.allSettled([first.stop(), second?.stop()]);
    }
  }, 120_000);
});
