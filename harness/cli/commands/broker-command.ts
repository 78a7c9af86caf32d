import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { startEmbeddedBroker } from '../../../simulator/adapters/index.js';
import { untilSignal } from './until-signal.js';

/**
 * `trialsim broker`: the embedded aedes broker on a fixed port, for rehearsals with a device
 * under test (the device, the bridge and `trialsim run --dut` all need the same broker). Open
 * (no access control) and on loopback unless --host says otherwise: for a bench, not a network.
 */
export function registerBrokerCommand(program: Command): void {
  program
    .command('broker')
    .description('run an MQTT broker for devices under test (stops on SIGINT/SIGTERM)')
    .option(
      '--port <n>',
      'TCP port (0 picks a free one)',
      (v) => {
        const port = Number(v);
        if (!Number.isInteger(port) || port < 0 || port > 65_535)
          throw new InvalidArgumentError(`"${v}" is not a port`);
        return port;
      },
      1883,
    )
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .action(async (opts: { port: number; host: string }) => {
      const broker = await startEmbeddedBroker({ port: opts.port, host: opts.host });
      process.stdout.write(`trialsim broker: ready ${broker.url}\n`);
      await untilSignal();
      await broker.close();
    });
}
