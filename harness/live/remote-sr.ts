import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MqttTransport, Topics } from '../../simulator/adapters/index.js';
import { type DeviceType, type Eui, parseEui, type UserRole } from '../../simulator/domain/index.js';
import { TrialsimError } from '../../simulator/errors.js';
import { DccUserAgent } from '../../simulator/parties/index.js';
import type { DeviceSpec } from '../stack/device-spec.js';
import { findDeviceSpec, planServiceRequest, type SrAsk } from './sr-plan.js';
import type { SrResult } from './sr-result.js';
import type { UpConnection } from './up-connection.js';

/** The raw P-256 private scalar of a PKCS#8 PEM key (as `trialsim up` exports them). */
export async function readDsPrivateKey(file: string): Promise<Uint8Array> {
  const jwk = createPrivateKey(await readFile(file, 'utf8')).export({ format: 'jwk' });
  if (jwk.d === undefined) throw new TrialsimError('USAGE', `${file} holds no private key`);
  return new Uint8Array(Buffer.from(jwk.d, 'base64url'));
}

/**
 * A KA private key file of the exported PKI, or undefined when there is none: 4.1.1's registers
 * then come back unopened, the response saying which key is missing (ecs17b-requester.ts).
 */
export async function optionalPrivateKey(file: string): Promise<Uint8Array | undefined> {
  try {
    return await readDsPrivateKey(file);
  } catch {
    return undefined;
  }
}

/**
 * A device's KA public key (65-byte uncompressed point) from its certificate in the exported PKI
 * (`device-<EUI>-ka.pem`, pki-export.ts), or undefined when the PKI holds none (a fleet device,
 * whose keys are derived without certificates): the SMKI repository as a remote User sees it.
 */
export async function deviceKaPublicKey(pkiDir: string, device: Eui): Promise<Uint8Array | undefined> {
  let pem: string;
  try {
    pem = await readFile(join(pkiDir, `device-${device.replaceAll('-', '')}-ka.pem`), 'utf8');
  } catch {
    return undefined;
  }
  const jwk = new X509Certificate(pem).publicKey.export({ format: 'jwk' });
  if (jwk.x === undefined || jwk.y === undefined) return undefined;
  return Uint8Array.from([4, ...Buffer.from(jwk.x, 'base64url'), ...Buffer.from(jwk.y, 'base64url')]);
}

/** The device specs `up.json` lists. */
export function upDeviceSpecs(up: UpConnection): DeviceSpec[] {
  return up.devices.map((entry) => ({
    ...entry,
    eui: parseEui(entry.eui),
    deviceType: entry.deviceType as DeviceType,
    chf: entry.chf,
  }));
}

/** A device of the running stack by scenario id or EUI (`sr --device`, `duis send --device`). */
export function deviceSpec(up: UpConnection, idOrEui: string): DeviceSpec {
  return findDeviceSpec(upDeviceSpecs(up), idOrEui);
}

/**
 * One SR to a stack started by `trialsim up` in another process, as one of its DCC Users: its
 * own MQTT client (its own client id, subscribed to the party's response topic), critical
 * commands signed with the party's DS key from the exported PKI, exactly as a supplier's
 * head-end would. Planned like the console's and a scenario's (sr-plan.ts). The RequestID
 * counter is the wall-clock ms, so successive calls keep it strictly increasing (DCC.md §2)
 * without shared state.
 */
export async function sendRemoteSr(up: UpConnection, ask: SrAsk, timeoutMs: number): Promise<SrResult> {
  const party = up.parties.find((p) => p.name === ask.as && p.userRole !== undefined);
  if (party === undefined) {
    throw new TrialsimError(
      'UNKNOWN_PARTY',
      `"${ask.as}" is not a DCC User of the stack (users: ${up.parties
        .filter((p) => p.userRole !== undefined)
        .map((p) => p.name)
        .join(', ')})`,
    );
  }
  if (up.auth) {
    throw new TrialsimError(
      'USAGE',
      `the stack at ${up.brokerUrl} runs with --auth: its parties are logged in by the stack itself, so sr cannot join as ${party.name}; start \`trialsim up\` without --auth for sr`,
    );
  }
  const specs = upDeviceSpecs(up);
  const dccEui = parseEui(up.dccEui);
  const plan = planServiceRequest(ask, (idOrEui) => findDeviceSpec(specs, idOrEui), dccEui);
  const targetKa = await deviceKaPublicKey(up.pkiDir, plan.target);
  const transport = await MqttTransport.connect({
    url: up.brokerUrl,
    clientId: `${up.namespace}-sr-${ask.as}-${process.pid}`,
  });
  const agent = await DccUserAgent.start({
    name: party.name,
    eui: parseEui(party.eui),
    role: party.userRole as UserRole,
    dsPrivate: await readDsPrivateKey(party.dsKeyFile),
    dccEui,
    transport,
    topics: new Topics(up.namespace),
    keyAgreement: {
      privateKey: await optionalPrivateKey(join(up.pkiDir, `${party.name}-ka.key.pem`)),
      devicePublicKey: (device) => (device === plan.target ? targetKa : undefined),
    },
  });
  try {
    const handle = agent.request({ srv: ask.srv, target: plan.target, body: plan.body, counter: Date.now() });
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      handle.final,
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    return { requestId: handle.requestId, responses: handle.responses, outcome };
  } finally {
    await agent.stop();
  }
}
