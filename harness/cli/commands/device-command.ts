import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import {
  MqttTransport,
  SerialLink,
  SerialTransport,
  type TransportFaultSink,
} from '../../../simulator/adapters/index.js';
import { DEVICE_DEFECTS, type DeviceDefect, isDeviceDefect } from '../../../simulator/domain/index.js';
import { TrialsimError } from '../../../simulator/errors.js';
import type { Transport } from '../../../simulator/ports/index.js';
import { DeviceHost } from '../../dut/device-host.js';
import {
  DEFAULT_DUT_NAMESPACE,
  type Provisioning,
  readProvisioning,
  writeProvisioning,
} from '../../dut/provisioning.js';
import { loadScenario } from '../../scenario/scenario-loader.js';
import { parseBrokerUrl } from './broker-option.js';
import { untilSignal } from './until-signal.js';

export function parseBaud(value: string): number {
  const baud = Number(value);
  if (!Number.isInteger(baud) || baud < 50 || baud > 4_000_000) {
    throw new InvalidArgumentError(`"${value}" is not a baud rate (e.g. 115200)`);
  }
  return baud;
}

/** `trialsim provision` and `trialsim device`: a device under test's identity, and a reference device. */
export function registerDeviceCommands(program: Command): void {
  program
    .command('provision')
    .description(
      "write a device under test's provisioning: PEM certificates and keys (the test PKI) and provisioning.json (EUI, keys, trust anchors, broker, topics)",
    )
    .argument('<scenario>', 'scenario file that names the device')
    .requiredOption('--device <id>', "the scenario's id for the device, e.g. esme1")
    .requiredOption('--out <dir>', 'folder to write into')
    .option('--seed <seed>', 'the seed the runs will use', 'trialsim')
    .option('--broker <url>', 'broker the device will connect to', parseBrokerUrl, 'mqtt://127.0.0.1:1883')
    .option('--namespace <ns>', 'topic namespace for the device', DEFAULT_DUT_NAMESPACE)
    .action(
      async (
        file: string,
        opts: { device: string; out: string; seed: string; broker: string; namespace: string },
      ) => {
        const scenario = await loadScenario(file);
        const spec = scenario.devices.find((d) => d.id === opts.device);
        if (spec === undefined) {
          throw new TrialsimError(
            'UNKNOWN_DEVICE',
            `${file} has no device "${opts.device}" (it has: ${scenario.devices.map((d) => d.id).join(', ')})`,
          );
        }
        const path = await writeProvisioning(opts.out, {
          seed: scenario.definition.seed ?? opts.seed,
          spec,
          start: scenario.start,
          brokerUrl: opts.broker,
          namespace: opts.namespace,
        });
        process.stdout.write(`wrote ${path} for ${spec.id} (${spec.eui}) and its PEM files\n`);
      },
    );

  program
    .command('device')
    .description(
      'run the reference device under test in this process, from a provisioning file, over MQTT or a serial line (stops on SIGINT/SIGTERM)',
    )
    .requiredOption('--provision <file>', 'provisioning.json written by trialsim provision')
    .option(
      '--broker <url>',
      'broker to connect to (default: the one in the provisioning file)',
      parseBrokerUrl,
    )
    .option('--serial <path>', 'talk COBS/CRC-32 frames on this serial port instead of MQTT (PROTOCOL.md §9)')
    .option('--baud <n>', 'serial baud rate', parseBaud, 115_200)
    .option(
      '--mutant <defect>',
      'start the device with one named defect, to check that the conformance suite catches it (harness/dut/mutants/MUTANTS.md)',
      parseDefect,
    )
    .action(
      async (opts: {
        provision: string;
        broker?: string;
        serial?: string;
        baud: number;
        mutant?: DeviceDefect;
      }) => {
        const provisioning = await readProvisioning(opts.provision);
        const log = (line: string) =>
          process.stderr.write(`trialsim device ${provisioning.device.eui}: ${line}\n`);
        // A fault on the line (a handler that threw, a publish lost) goes into the device's log
        // with its code, never only into a process warning.
        const transport = await connectDevice(provisioning, opts, (fault) =>
          log(`${fault.code}: ${fault.message}`),
        );
        if (opts.mutant !== undefined) log(`MUTANT: started with defect ${opts.mutant}`);
        const host = await DeviceHost.start({
          provisioning,
          transport,
          log,
          ...(opts.mutant === undefined ? {} : { defect: opts.mutant }),
        });
        const where = opts.serial === undefined ? (opts.broker ?? provisioning.broker.url) : opts.serial;
        process.stdout.write(`trialsim device: ready ${provisioning.device.eui} on ${where}\n`);
        await untilSignal();
        await host.stop();
      },
    );
}

function parseDefect(value: string): DeviceDefect {
  if (!isDeviceDefect(value)) {
    throw new InvalidArgumentError(
      `"${value}" is not a defect in the catalogue (${DEVICE_DEFECTS.join(', ')})`,
    );
  }
  return value;
}

async function connectDevice(
  provisioning: Provisioning,
  opts: { broker?: string; serial?: string; baud: number },
  onFault: TransportFaultSink,
): Promise<Transport> {
  const { topics, device } = provisioning;
  if (opts.serial !== undefined) {
    const link = await SerialLink.open({ path: opts.serial, baudRate: opts.baud });
    return new SerialTransport(
      link,
      {
        inbound: { wan: topics.wanDown, control: topics.control },
        outbound: { [topics.wanUp]: 'wan', [topics.status]: 'control' },
      },
      `serial-device-${device.eui}`,
      onFault,
    );
  }
  return MqttTransport.connect({
    url: opts.broker ?? provisioning.broker.url,
    clientId: `${provisioning.broker.namespace}-device-${device.eui}`,
    // A meter outlives its network's outages: reconnect, as the bridge does.
    reconnectPeriod: 1_000,
    onFault,
  });
}
