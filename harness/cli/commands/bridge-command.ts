import type { Command } from 'commander';
import { type BridgeEvent, SerialBridge, Topics } from '../../../simulator/adapters/index.js';
import { parseEui } from '../../../simulator/domain/index.js';
import { controlTopic, statusTopic } from '../../dut/dut-control.js';
import { DEFAULT_DUT_NAMESPACE } from '../../dut/provisioning.js';
import { parseBrokerUrl } from './broker-option.js';
import { parseBaud } from './device-command.js';
import { untilSignal } from './until-signal.js';

function describe(event: BridgeEvent): string | undefined {
  switch (event.type) {
    case 'opened':
      return event.reopen ? 'serial port reopened' : undefined;
    case 'closed':
      return `serial port closed (${event.reason}); reopening`;
    case 'reopenFailed':
      return `serial port not back yet (${event.reason})`;
    case 'framingError':
      return `framing error (${event.error.kind}): ${event.error.detail}; ${event.error.discarded} bytes discarded`;
    case 'dropped':
      return `dropped: ${event.reason}`;
    case 'relayed':
      return undefined;
  }
}

export function registerBridgeCommand(program: Command): void {
  program
    .command('bridge')
    .description(
      'relay one device between a serial line (COBS frames with CRC-32, PROTOCOL.md §9) and the broker; survives the device resetting (stops on SIGINT/SIGTERM)',
    )
    .requiredOption('--serial <path>', 'serial port, e.g. /dev/ttyUSB0')
    .requiredOption('--device <eui>', "the device's EUI-64", (value) => parseEui(value))
    .option('--baud <n>', 'baud rate', parseBaud, 115_200)
    .option('--broker <url>', 'MQTT broker', parseBrokerUrl, 'mqtt://127.0.0.1:1883')
    .option('--namespace <ns>', 'topic namespace the device was provisioned with', DEFAULT_DUT_NAMESPACE)
    .option('--verbose', 'also log every relayed frame', false)
    .action(
      async (opts: {
        serial: string;
        device: ReturnType<typeof parseEui>;
        baud: number;
        broker: string;
        namespace: string;
        verbose: boolean;
      }) => {
        const topics = new Topics(opts.namespace);
        const log = (line: string) => process.stderr.write(`trialsim bridge ${opts.device}: ${line}\n`);
        const bridge = await SerialBridge.start(
          {
            serial: { path: opts.serial, baudRate: opts.baud },
            brokerUrl: opts.broker,
            clientId: `${opts.namespace}-bridge-${opts.device}`,
            topics: {
              wanDown: topics.wanDown(opts.device),
              wanUp: topics.wanUp(opts.device),
              control: controlTopic(opts.namespace, opts.device),
              status: statusTopic(opts.namespace, opts.device),
            },
          },
          (event) => {
            const line =
              event.type === 'relayed' && opts.verbose
                ? `${event.frameType} frame, ${event.bytes} bytes, ${event.direction === 'toDevice' ? 'broker → device' : 'device → broker'}`
                : describe(event);
            if (line !== undefined) log(line);
          },
        );
        process.stdout.write(`trialsim bridge: ready ${opts.serial} <-> ${opts.broker} for ${opts.device}\n`);
        await untilSignal();
        const s = bridge.stats;
        log(
          `stopping: ${s.framesIn} frames in, ${s.framesOut} out, ${s.framingErrors} framing errors ${JSON.stringify(s.errorsByKind)}, ${s.reopens} reopens, ${s.dropped} dropped`,
        );
        await bridge.stop();
      },
    );
}
