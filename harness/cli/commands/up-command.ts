import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import type { DuisServer } from '../../../simulator/adapters/duis-http/duis-server.js';
import { ZAZ1_FILES } from '../../../simulator/adapters/duis-http/duis-trust.js';
import { startEmbeddedBroker } from '../../../simulator/adapters/mqtt/embedded-broker.js';
import { exportPki } from '../../../simulator/pki/pki-export.js';
import { FIXTURES_DIR, SCENARIOS_DIR } from '../../package-root.js';
import { loadScenario } from '../../scenario/scenario-loader.js';
import { approveTrials } from '../../scenario/scenario-runner.js';
import { startDuisEndpoint } from '../../stack/duis-endpoint.js';
import { DCC_EUI, DEFAULT_PARTIES } from '../../stack/parties.js';
import { SimStack } from '../../stack/sim-stack.js';
import { PUBLIC_DEFAULT_SEED, publicSeedNotice } from '../../suite/public-seed.js';
import { DEFAULT_UP_DIR, UP_FILE, writeUpConnection } from '../up-connection.js';
import { untilSignal } from './until-signal.js';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new InvalidArgumentError(`"${value}" is not a port`);
  return port;
}

/** Where `duis send` finds the DCC's DSP XmlSign certificate and the Users' XmlSign keys. */
function duisKeyFiles(pki: 'trialsim' | 'zaz1', pkiDir: string) {
  if (pki === 'zaz1') {
    const dir = join(FIXTURES_DIR, 'duis', 'zaz1');
    return { dspCertificateFile: join(dir, ZAZ1_FILES.dspCertificate), userKeyDir: dir };
  }
  return { dspCertificateFile: join(pkiDir, 'acb-xml-sign.pem'), userKeyDir: pkiDir };
}

/** Real ms between moves of virtual time while `up` runs (virtual time follows real time). */
const TICK_MS = 250;

/**
 * `trialsim up`: the set-up of a scenario (its CPL, trials and devices, not its steps) as a
 * running stack — broker, DCC, every DCC User and the simulated devices — until Ctrl-C, for
 * manual work with `trialsim sr` or with real devices. By default the broker is open (no access
 * control), like `trialsim broker`, so outside clients need no derived credentials, and `up` says
 * so; `--auth` runs it with the access control of `run` (each party logs in as itself with
 * credentials derived from the seed, and may use only its own topics). It listens on loopback
 * unless --host says otherwise. Virtual time follows real time from the scenario's start, so
 * response deadlines (E21) fire as they would in the field.
 */
export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description(
      'start broker + DCC + suppliers + devices from a scenario set-up and keep them running (Ctrl-C stops)',
    )
    .argument('[scenario]', 'scenario file whose set-up to use', join(SCENARIOS_DIR, 'commissioning.yaml'))
    .option('--port <n>', 'broker TCP port (0 picks a free one)', parsePort, 1883)
    .option('--host <address>', 'address the broker listens on', '127.0.0.1')
    .option(
      '--seed <seed>',
      'seed for keys, broker passwords and counters (the default is public)',
      PUBLIC_DEFAULT_SEED,
    )
    .option('--dir <dir>', `folder for ${UP_FILE} and the exported PKI`, DEFAULT_UP_DIR)
    .option('--namespace <ns>', 'topic namespace', 'up')
    .option(
      '--auth',
      'the access control of `run`: each party logs in with credentials derived from --seed and may use only its own topics (default: an open broker; `sr` needs one)',
      false,
    )
    .option(
      '--duis <port>',
      'also serve DUIS XML over HTTP on this port (DCC Boxed paths /api/v1/serviceS|T|D)',
      parsePort,
    )
    .option(
      '--pki <pki>',
      'XmlSign keys of the DUIS endpoint: trialsim (from the seed) or zaz1 (DCC Boxed test keys)',
      'trialsim',
    )
    .option(
      '--duis-callback <party=url...>',
      "a DCC User's receive-response URL, e.g. supplier-a=http://127.0.0.1:8080/smartdcc/duis",
      [] as string[],
    )
    .action(
      async (
        file: string,
        opts: {
          port: number;
          host: string;
          seed: string;
          dir: string;
          namespace: string;
          auth: boolean;
          duis?: number;
          pki: string;
          duisCallback: string[];
        },
      ) => {
        if (opts.pki !== 'trialsim' && opts.pki !== 'zaz1')
          throw new InvalidArgumentError(`--pki must be trialsim or zaz1, not "${opts.pki}"`);
        const callbacks = opts.duisCallback.map((pair) => {
          const at = pair.indexOf('=');
          if (at < 1) throw new InvalidArgumentError(`--duis-callback "${pair}" must be party=url`);
          return { party: pair.slice(0, at), url: pair.slice(at + 1) };
        });
        const scenario = await loadScenario(file);
        // Open: a broker of its own with no access control. --auth: the stack's own, as in `run`.
        const broker = opts.auth
          ? undefined
          : await startEmbeddedBroker({ port: opts.port, host: opts.host });
        let stack: SimStack | undefined;
        let duis: DuisServer | undefined;
        try {
          stack = await SimStack.start({
            seed: opts.seed,
            start: scenario.start,
            devices: scenario.devices,
            cpl: scenario.cpl,
            ...(broker === undefined
              ? { brokerPort: opts.port, brokerHost: opts.host }
              : { brokerUrl: broker.url }),
            namespace: opts.namespace,
          });
          const brokerUrl = stack.brokerUrl;
          const problem = await approveTrials(scenario, stack);
          if (problem !== undefined) throw new Error(problem.message);
          if (opts.duis !== undefined)
            duis = await startDuisEndpoint(stack, {
              port: opts.duis,
              host: opts.host,
              pki: opts.pki,
              callbacks,
            });
          const dir = resolve(opts.dir);
          const pkiDir = join(dir, 'pki');
          await rm(pkiDir, { recursive: true, force: true });
          await mkdir(pkiDir, { recursive: true });
          await exportPki(stack.pki, pkiDir);
          const topics = stack.topics;
          const upFile = await writeUpConnection(dir, {
            brokerUrl,
            auth: opts.auth,
            namespace: opts.namespace,
            topics: {
              dccIn: topics.dccIn('{userEUI}' as never),
              dccOut: topics.dccOut('{userEUI}' as never),
              wanDown: topics.wanDown('{deviceEUI}' as never),
              wanUp: topics.wanUp('{deviceEUI}' as never),
            },
            seed: opts.seed,
            dccEui: DCC_EUI,
            scenario: scenario.file,
            virtualStart: new Date(scenario.start).toISOString(),
            pkiDir,
            parties: DEFAULT_PARTIES.map((p) => ({
              name: p.name,
              eui: p.eui,
              ...(p.userRole === undefined ? {} : { userRole: p.userRole }),
              dsKeyFile: join(pkiDir, `${p.name}-ds.key.pem`),
            })),
            devices: scenario.devices.map((d) => ({
              id: d.id,
              eui: d.eui,
              deviceType: d.deviceType,
              manufacturer: d.manufacturer,
              model: d.model,
              hardwareVersion: d.hardwareVersion,
              firmwareVersion: d.firmwareVersion,
              supplier: d.supplier,
              networkOperator: d.networkOperator,
              ...(d.chf === undefined ? {} : { chf: d.chf }),
              preinstalled: d.preinstalled,
            })),
            ...(duis === undefined
              ? {}
              : {
                  duis: {
                    url: duis.url,
                    pki: opts.pki,
                    ...duisKeyFiles(opts.pki, pkiDir),
                  },
                }),
            pid: process.pid,
          });
          const out = (line: string) => process.stdout.write(`${line}\n`);
          out(`trialsim up: ${scenario.definition.scenario} set-up is running (Ctrl-C stops it)`);
          out(
            opts.auth
              ? `  broker     ${brokerUrl}  (MQTT 3.1.1, access control on: each party logs in as itself, user name and password derived from the seed; other topics refused)`
              : `  broker     ${brokerUrl}  (MQTT 3.1.1, OPEN: no credentials, anyone who reaches it may publish or read any topic; --auth for run's access control)`,
          );
          const seedNotice = publicSeedNotice(opts.seed);
          if (opts.auth && seedNotice !== undefined) out(`  seed       ${seedNotice}`);
          out(`  topics     ${topics.dccIn('{userEUI}' as never)}   User → DCC`);
          out(`             ${topics.dccOut('{userEUI}' as never)}  DCC → User`);
          out(`             ${topics.wanDown('{deviceEUI}' as never)} DCC → device`);
          out(`             ${topics.wanUp('{deviceEUI}' as never)}   device → DCC`);
          out(`  DCC        ${DCC_EUI}`);
          for (const p of DEFAULT_PARTIES.filter((x) => x.userRole !== undefined))
            out(`  ${p.name.padEnd(17)} ${p.eui}  ${p.userRole}`);
          for (const d of scenario.devices)
            out(
              `  ${d.id.padEnd(17)} ${d.eui}  ${d.deviceType} ${d.model} ${d.firmwareVersion}${d.preinstalled ? ' (commissioned)' : ''}`,
            );
          out(`  PKI        ${pkiDir} (certificates and keys, PEM; index.json says which is whose)`);
          if (duis !== undefined) {
            out(
              `  DUIS       ${duis.url}/api/v1/serviceS|serviceT|serviceD  (signed DUIS 5.4 XML, ${opts.pki} XmlSign keys)`,
            );
            for (const c of callbacks) out(`             ${c.party} receives results at ${c.url}`);
          }
          out(`  stack file ${upFile}`);
          out(
            `  try:       trialsim sr --as supplier-a --srv 8.2 --device ${scenario.devices.at(-1)?.id ?? '<id>'}`,
          );
          const realStart = performance.now();
          // A fault of the stack (a party's connection lost, a session taken over) ends `up`
          // at once with the cause, rather than printing it on every tick.
          let fail: (err: unknown) => void = () => {};
          const failed = new Promise<never>((_, reject) => {
            fail = reject;
          });
          let ticking = false;
          const timer = setInterval(() => {
            if (ticking || stack === undefined) return;
            ticking = true;
            const target = scenario.start + Math.round(performance.now() - realStart);
            void stack
              .advanceTo(target)
              .catch((err: unknown) => fail(err))
              .finally(() => {
                ticking = false;
              });
          }, TICK_MS);
          const signal = await Promise.race([untilSignal(), failed]).finally(() => clearInterval(timer));
          out(`trialsim up: ${signal}, stopping`);
          await rm(join(dir, UP_FILE), { force: true });
        } finally {
          await duis?.stop();
          await stack?.stop();
          await broker?.close();
        }
      },
    );
}
