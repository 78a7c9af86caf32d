import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { TrialsimError } from '../../../simulator/errors.js';
import { DEFAULT_UP_DIR, UP_FILE } from '../../live/up-connection.js';
import { UpSession } from '../../live/up-session.js';
import { SCENARIOS_DIR } from '../../package-root.js';
import { loadScenario } from '../../scenario/scenario-loader.js';
import { DCC_EUI, DEFAULT_PARTIES } from '../../stack/parties.js';
import { PUBLIC_DEFAULT_SEED, publicSeedNotice } from '../../suite/public-seed.js';
import { isSrLogEntry } from '../../watch/watch-filter.js';
import { formatWatchLine } from '../../watch/watch-line.js';
import { untilSignal } from './until-signal.js';

/** A CA file named on the command line, read now so a wrong path fails before anything starts. */
async function readCaFile(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new TrialsimError('USAGE', `cannot read the CA file ${file}: ${(err as Error).message}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----'))
    throw new TrialsimError('USAGE', `${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return text;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new InvalidArgumentError(`"${value}" is not a port`);
  return port;
}

/**
 * `trialsim up`: the set-up of a scenario (its CPL, trials and devices, not its steps) as a
 * running stack until Ctrl-C, for manual work with `trialsim sr`, `trialsim watch`, the web
 * console or real devices (harness/live/up-session.ts). It prints how to connect, then one line
 * per service request and response as they flow.
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
      'the access control of `run`: each party logs in with credentials derived from --seed and may use only its own topics (default: an open broker; `sr` and `watch` need one)',
      false,
    )
    .option(
      '--duis <port>',
      'also serve DUIS XML over HTTP on this port, HTTPS with --duis-tls (DCC Boxed paths /api/v1/serviceS|T|D)',
      parsePort,
    )
    .option(
      '--duis-tls',
      'serve DUIS over HTTPS instead: a test TLS CA and server certificate derived from --seed (127.0.0.1, ::1, localhost and --host); the CA is exported as pki/duis-tls-ca.pem and named in up.json',
      false,
    )
    .option(
      '--duis-callback-ca <file>',
      "CA certificate(s) (PEM) the Users' https:// receive-response URLs chain to (default: Node's public roots)",
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
    .option('--console <port>', 'serve the web console on this port (0 picks a free one)', parsePort)
    .option(
      '--console-host <address>',
      'address the web console listens on; it answers only to that name (and localhost names on loopback)',
      '127.0.0.1',
    )
    .option('--quiet', 'do not print the service requests and responses as they flow', false)
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
          duisTls: boolean;
          duisCallbackCa?: string;
          pki: string;
          duisCallback: string[];
          console?: number;
          consoleHost: string;
          quiet: boolean;
        },
      ) => {
        // TrialsimError, not commander's InvalidArgumentError: thrown in an action (not an option
        // parser), the latter ends with exit 2 and prints nothing.
        if (opts.pki !== 'trialsim' && opts.pki !== 'zaz1')
          throw new TrialsimError('USAGE', `--pki must be trialsim or zaz1, not "${opts.pki}"`);
        const callbacks = opts.duisCallback.map((pair) => {
          const at = pair.indexOf('=');
          if (at < 1) throw new TrialsimError('USAGE', `--duis-callback "${pair}" must be party=url`);
          return { party: pair.slice(0, at), url: pair.slice(at + 1) };
        });
        if (opts.duis === undefined && (opts.duisTls || opts.duisCallbackCa !== undefined))
          throw new TrialsimError('USAGE', '--duis-tls and --duis-callback-ca need --duis <port>');
        const callbackCa =
          opts.duisCallbackCa === undefined ? undefined : await readCaFile(opts.duisCallbackCa);
        const scenario = await loadScenario(file);
        const out = (line: string) => process.stdout.write(`${line}\n`);
        // A fault of the running stack (a party's connection lost, a session taken over, a clock
        // tick that failed) ends `up` at once with the cause (exit 3), rather than leaving a
        // stack running that no longer works.
        let fail: (err: unknown) => void = () => {};
        const failed = new Promise<never>((_, reject) => {
          fail = reject;
        });
        failed.catch(() => {}); // awaited below, once the stack is up; a fault before then is not lost
        const session = await UpSession.start(scenario, {
          port: opts.port,
          host: opts.host,
          seed: opts.seed,
          dir: opts.dir,
          namespace: opts.namespace,
          auth: opts.auth,
          ...(opts.duis === undefined
            ? {}
            : {
                duis: {
                  port: opts.duis,
                  host: opts.host,
                  pki: opts.pki,
                  callbacks,
                  tls: opts.duisTls,
                  ...(callbackCa === undefined ? {} : { callbackCa }),
                },
              }),
          ...(opts.console === undefined ? {} : { console: { port: opts.console, host: opts.consoleHost } }),
          onError: (err) => fail(err),
        });
        try {
          const { connection: up } = session;
          const t = up.topics;
          out(`trialsim up: ${scenario.definition.scenario} set-up is running (Ctrl-C stops it)`);
          out(
            opts.auth
              ? `  broker     ${up.brokerUrl}  (MQTT 3.1.1, access control on: each party logs in as itself, user name and password derived from the seed; other topics refused)`
              : `  broker     ${up.brokerUrl}  (MQTT 3.1.1, OPEN: no credentials, anyone who reaches it may publish or read any topic; --auth for run's access control)`,
          );
          const seedNotice = publicSeedNotice(opts.seed);
          if (opts.auth && seedNotice !== undefined) out(`  seed       ${seedNotice}`);
          out(`  topics     ${t.dccIn}   User → DCC`);
          out(`             ${t.dccOut}  DCC → User`);
          out(`             ${t.wanDown} DCC → device`);
          out(`             ${t.wanUp}   device → DCC`);
          if (up.watchTopic !== undefined)
            out(`             ${up.watchTopic} decoded messages (trialsim watch)`);
          out(`  DCC        ${DCC_EUI}`);
          for (const p of DEFAULT_PARTIES.filter((x) => x.userRole !== undefined))
            out(`  ${p.name.padEnd(17)} ${p.eui}  ${p.userRole}`);
          for (const d of scenario.devices)
            out(
              `  ${d.id.padEnd(17)} ${d.eui}  ${d.deviceType} ${d.model} ${d.firmwareVersion}${d.preinstalled ? ' (commissioned)' : ''}`,
            );
          out(`  PKI        ${up.pkiDir} (certificates and keys, PEM; index.json says which is whose)`);
          if (session.duis !== undefined) {
            out(
              `  DUIS       ${session.duis.url}/api/v1/serviceS|serviceT|serviceD  (signed DUIS 5.4 XML, ${opts.pki} XmlSign keys)`,
            );
            const caFile = up.duis?.tlsCaFile;
            if (caFile !== undefined)
              out(`             TLS test CA ${caFile} (PEM, from the seed: trust it, e.g. curl --cacert)`);
            for (const c of callbacks) out(`             ${c.party} receives results at ${c.url}`);
          }
          if (session.consoleServer !== undefined) out(`  console    ${session.consoleServer.url}`);
          out(`  stack file ${session.upFile}`);
          out(
            opts.auth
              ? '  try:       the web console (--console), or a device logged in with its credentials; `sr` and `watch` need an open stack (without --auth)'
              : `  try:       ${session.hint()}`,
          );
          if (!opts.quiet)
            session.live.feed.subscribe((batch) => {
              for (const entry of batch) if (isSrLogEntry(entry)) out(`  ${formatWatchLine(entry)}`);
            }, "up's SR log");
          const signal = await Promise.race([untilSignal(), failed]);
          out(`trialsim up: ${signal}, stopping`);
        } finally {
          await session.stop();
        }
      },
    );
}
