import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { MqttTransport } from '../../../simulator/adapters/mqtt/mqtt-transport.js';
import { Topics } from '../../../simulator/adapters/wire/topics.js';
import type { DeviceType } from '../../../simulator/domain/device/device-types.js';
import { lookupSrv } from '../../../simulator/domain/duis/srv-catalogue.js';
import type { UserRole } from '../../../simulator/domain/duis/user-roles.js';
import { type Eui, parseEui } from '../../../simulator/domain/eui.js';
import { TrialsimError } from '../../../simulator/errors.js';
import { DccUserAgent, type FinalOutcome } from '../../../simulator/parties/dcc-user-agent.js';
import { defaultBody } from '../../scenario/request-bodies.js';
import type { DeviceSpec } from '../../stack/device-spec.js';
import { EXIT } from '../exit-codes.js';
import { DEFAULT_UP_DIR, readUpConnection, type UpConnection } from '../up-connection.js';

/** The raw P-256 private scalar of a PKCS#8 PEM key (as `trialsim up` exports them). */
export async function readDsPrivateKey(file: string): Promise<Uint8Array> {
  const jwk = createPrivateKey(await readFile(file, 'utf8')).export({ format: 'jwk' });
  if (jwk.d === undefined) throw new TrialsimError('USAGE', `${file} holds no private key`);
  return new Uint8Array(Buffer.from(jwk.d, 'base64url'));
}

export function deviceSpec(up: UpConnection, idOrEui: string): DeviceSpec {
  const entry = up.devices.find((d) => d.id === idOrEui || d.eui === idOrEui.toUpperCase());
  if (entry === undefined) {
    throw new TrialsimError(
      'UNKNOWN_DEVICE',
      `no device "${idOrEui}" in the running stack (devices: ${up.devices.map((d) => d.id).join(', ')})`,
    );
  }
  return {
    ...entry,
    eui: parseEui(entry.eui),
    deviceType: entry.deviceType as DeviceType,
    chf: entry.chf,
  };
}

function parseBody(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new InvalidArgumentError('give the body as a JSON object, e.g. \'{"status":"Pending"}\'');
}

function describe(outcome: FinalOutcome): string {
  if (outcome.kind === 'deviceAlert')
    return `the device refused it: alert ${outcome.alert.alertCode ?? outcome.alert.alert}`;
  const r = outcome.response;
  return `${r.responseCode}${r.rule ? ` ${r.rule}` : ''}${r.reason ? ` (${r.reason})` : ''}`;
}

/**
 * `trialsim sr`: one service request to a stack started by `trialsim up`, as a given DCC User.
 * It connects its own MQTT client (its own client id, subscribed to the party's response topic)
 * and signs critical commands with the party's DS key from the exported PKI, exactly as a
 * supplier's head-end would. Its RequestID counter is the wall-clock ms, so successive `sr`
 * calls keep the counter strictly increasing (DCC.md §2) without shared state.
 */
export function registerSrCommand(program: Command, exit: (code: number) => void): void {
  program
    .command('sr')
    .description(
      'send a service request to a running `trialsim up` stack as a DCC User and print the outcome',
    )
    .requiredOption('--as <party>', 'DCC User to act as, e.g. supplier-a')
    .requiredOption('--srv <srv>', 'service reference variant, e.g. 8.2 or 8.1.1')
    .option('--device <id|eui>', 'the device the SR is for (scenario id or EUI)')
    .option('--body <json>', 'JSON object merged over the default body for the SRV', parseBody)
    .option('--stack <dir>', 'folder of the running stack (where up.json is)', DEFAULT_UP_DIR)
    .option('--timeout <ms>', 'real ms to wait for the outcome', (v) => Number(v), 15_000)
    .option('--json', 'print the responses as JSON', false)
    .action(
      async (opts: {
        as: string;
        srv: string;
        device?: string;
        body?: Record<string, unknown>;
        stack: string;
        timeout: number;
        json: boolean;
      }) => {
        const up = await readUpConnection(opts.stack);
        const party = up.parties.find((p) => p.name === opts.as && p.userRole !== undefined);
        if (party === undefined) {
          throw new TrialsimError(
            'UNKNOWN_PARTY',
            `"${opts.as}" is not a DCC User of the stack (users: ${up.parties
              .filter((p) => p.userRole !== undefined)
              .map((p) => p.name)
              .join(', ')})`,
          );
        }
        const spec = opts.device === undefined ? undefined : deviceSpec(up, opts.device);
        const chfEui = spec?.chf === undefined ? undefined : deviceSpec(up, spec.chf).eui;
        const def = lookupSrv(opts.srv);
        const dccEui = parseEui(up.dccEui);
        let target: Eui | undefined;
        if (def?.nonDevice) target = dccEui;
        else if (opts.srv === '8.11') target = chfEui;
        else target = spec?.eui;
        if (target === undefined) throw new TrialsimError('USAGE', `SR ${opts.srv} needs --device`);

        if (up.auth) {
          throw new TrialsimError(
            'USAGE',
            `the stack at ${up.brokerUrl} runs with --auth: its parties are logged in by the stack itself, so sr cannot join as ${party.name}; start \`trialsim up\` without --auth for sr`,
          );
        }
        const transport = await MqttTransport.connect({
          url: up.brokerUrl,
          clientId: `${up.namespace}-sr-${opts.as}-${process.pid}`,
        });
        const agent = await DccUserAgent.start({
          name: party.name,
          eui: parseEui(party.eui),
          role: party.userRole as UserRole,
          dsPrivate: await readDsPrivateKey(party.dsKeyFile),
          dccEui,
          transport,
          topics: new Topics(up.namespace),
        });
        try {
          const handle = agent.request({
            srv: opts.srv,
            target,
            body: { ...defaultBody(opts.srv, spec, chfEui), ...opts.body },
            counter: Date.now(),
          });
          let timer: NodeJS.Timeout | undefined;
          const outcome = await Promise.race([
            handle.final,
            new Promise<undefined>((resolve) => {
              timer = setTimeout(() => resolve(undefined), opts.timeout);
            }),
          ]);
          clearTimeout(timer);
          if (opts.json) {
            process.stdout.write(
              `${JSON.stringify({ requestId: handle.requestId, responses: handle.responses, outcome }, null, 2)}\n`,
            );
          } else {
            process.stdout.write(`${handle.requestId}\n`);
            for (const r of handle.responses)
              process.stdout.write(
                `  ${r.responseCode}${r.reason ? ` (${r.reason})` : ''}${r.body && Object.keys(r.body).length ? ` ${JSON.stringify(r.body)}` : ''}\n`,
              );
            process.stdout.write(
              outcome === undefined
                ? `no outcome within ${opts.timeout} ms (is \`trialsim up\` running? device responses may need virtual time to pass)\n`
                : `outcome: ${describe(outcome)}\n`,
            );
          }
          if (outcome === undefined) exit(EXIT.error);
          else
            exit(
              outcome.kind === 'response' && outcome.response.responseCode === 'I0'
                ? EXIT.passed
                : EXIT.failed,
            );
        } finally {
          await agent.stop();
        }
      },
    );
}
