import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { Topics } from '../../simulator/adapters/index.js';
import {
  DEVICE_TYPES,
  type DeviceState,
  type Eui,
  isEui,
  newDeviceState,
  parseEui,
  REMOTE_PARTY_ROLE_CODES,
  type RemotePartyRole,
  type TrustAnchorCell,
} from '../../simulator/domain/index.js';
import { TrialsimError } from '../../simulator/errors.js';
import { exportPki, generateTestPki, type TestPki } from '../../simulator/pki/index.js';
import type { DeviceSpec } from '../stack/device-spec.js';
import { DEFAULT_PARTIES } from '../stack/parties.js';
import { controlTopic, statusTopic } from './dut-control.js';
import { dutFactoryState } from './dut-factory-state.js';

/**
 * A device under test's provisioning file (PROTOCOL.md §10): everything its firmware must hold
 * to take a simulated device's place — identity, own keys, trust anchors, where the broker is
 * and which topics are its own. The PEM files beside it (exportPki) carry the same keys as
 * certificates. Everything derives from the seed: provision with the seed the run will use.
 */
export const PROVISIONING_FORMAT = 'trialsim-provisioning/1';
export const DEFAULT_DUT_NAMESPACE = 'dut';

const hex = (bytes: number) =>
  z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `${bytes} bytes as lower-case hex`);
const eui = z.string().refine(isEui, 'an EUI-64 written XX-XX-XX-XX-XX-XX-XX-XX');
const roles = Object.keys(REMOTE_PARTY_ROLE_CODES) as [RemotePartyRole, ...RemotePartyRole[]];

export const provisioningSchema = z
  .object({
    format: z.literal(PROVISIONING_FORMAT),
    seed: z.string().min(1),
    device: z
      .object({
        id: z.string(),
        eui,
        deviceType: z.enum(DEVICE_TYPES),
        manufacturer: z.string(),
        model: z.string(),
        hardwareVersion: z.string(),
        firmwareVersion: z.string(),
      })
      .strict(),
    keys: z
      .object({
        kaPrivateKey: hex(32),
        kaPublicKey: hex(65),
        dsPrivateKey: hex(32),
        dsPublicKey: hex(65),
        /** The manufacturer's image-signing key (FIRMWARE-IMAGE.md), installed at manufacture. */
        manufacturerPublicKey: hex(65),
      })
      .strict(),
    /** The device model's firmware handling (fixtures/device-models/*.yaml `firmware:`). */
    profile: z
      .object({
        imageType: z.number().int().nonnegative(),
        activationMs: z.number().int().nonnegative(),
        maxImageBytes: z.number().int().positive(),
      })
      .strict(),
    certificates: z
      .object({ ka: z.string(), ds: z.string(), rootCa: z.string(), issuingCa: z.string() })
      .strict(),
    trustAnchors: z.array(
      z
        .object({
          role: z.enum(roles),
          roleCode: z.number().int(),
          keyUsage: z.enum(['digitalSignature', 'keyAgreement']),
          cellUsage: z.enum(['management', 'prepaymentTopUp']),
          eui,
          publicKey: hex(65),
          certificate: z.string(),
        })
        .strict(),
    ),
    broker: z.object({ url: z.string(), namespace: z.string() }).strict(),
    topics: z
      .object({ wanDown: z.string(), wanUp: z.string(), control: z.string(), status: z.string() })
      .strict(),
  })
  .strict();
export type Provisioning = z.infer<typeof provisioningSchema>;

export interface ProvisioningRequest {
  readonly seed: string;
  readonly spec: DeviceSpec;
  /** The scenario's virtual start: certificates are valid from a year before it, as in a run. */
  readonly start: number;
  readonly brokerUrl: string;
  readonly namespace: string;
}

const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));

/** The same PKI a run with this seed builds (SimStack.start), so keys and anchors agree. */
export async function provisioningPki(
  seed: string,
  start: number,
  devices: readonly Eui[],
): Promise<TestPki> {
  return generateTestPki({
    seed,
    notBefore: start - 365 * 86_400_000,
    organisations: DEFAULT_PARTIES.map(({ name, eui: partyEui, remoteRole }) => ({
      name,
      eui: partyEui,
      role: remoteRole,
    })),
    devices,
  });
}

export async function buildProvisioning(
  request: ProvisioningRequest,
): Promise<{ pki: TestPki; provisioning: Provisioning }> {
  const { spec, namespace } = request;
  const pki = await provisioningPki(request.seed, request.start, [spec.eui]);
  const creds = pki.device(spec.eui);
  const factory = dutFactoryState(pki, spec, request.start);
  const stem = `device-${spec.eui.replaceAll('-', '')}`;
  const topics = new Topics(namespace);
  const certificateOf = (cell: TrustAnchorCell): string => {
    if (cell.role === 'root') return 'root-ca.pem';
    const party = DEFAULT_PARTIES.find((p) => p.eui === cell.eui);
    return `${party?.name ?? cell.eui}-${cell.keyUsage === 'digitalSignature' ? 'ds' : 'ka'}.pem`;
  };
  const provisioning: Provisioning = {
    format: PROVISIONING_FORMAT,
    seed: request.seed,
    device: {
      id: spec.id,
      eui: spec.eui,
      deviceType: spec.deviceType,
      manufacturer: spec.manufacturer,
      model: spec.model,
      hardwareVersion: spec.hardwareVersion,
      firmwareVersion: spec.firmwareVersion,
    },
    keys: {
      kaPrivateKey: toHex(creds.ka.keys.privateKey),
      kaPublicKey: toHex(creds.ka.keys.publicKey),
      dsPrivateKey: toHex(creds.ds.keys.privateKey),
      dsPublicKey: toHex(creds.ds.keys.publicKey),
      manufacturerPublicKey: toHex(factory.keys.manufacturerPublic as Uint8Array),
    },
    profile: { ...factory.profile },
    certificates: {
      ka: `${stem}-ka.pem`,
      ds: `${stem}-ds.pem`,
      rootCa: 'root-ca.pem',
      issuingCa: 'issuing-ca.pem',
    },
    trustAnchors: factory.trustAnchors.map((cell) => ({
      role: cell.role,
      roleCode: REMOTE_PARTY_ROLE_CODES[cell.role],
      keyUsage: cell.keyUsage,
      cellUsage: cell.cellUsage,
      eui: cell.eui,
      publicKey: toHex(cell.publicKey),
      certificate: certificateOf(cell),
    })),
    broker: { url: request.brokerUrl, namespace },
    topics: {
      wanDown: topics.wanDown(spec.eui),
      wanUp: topics.wanUp(spec.eui),
      control: controlTopic(namespace, spec.eui),
      status: statusTopic(namespace, spec.eui),
    },
  };
  return { pki, provisioning };
}

/** Writes the PEM files (exportPki) and `provisioning.json` into `dir`; returns the JSON's path. */
export async function writeProvisioning(dir: string, request: ProvisioningRequest): Promise<string> {
  const { pki, provisioning } = await buildProvisioning(request);
  await exportPki(pki, dir);
  const path = join(dir, 'provisioning.json');
  await writeFile(path, `${JSON.stringify(provisioning, null, 2)}\n`, { mode: 0o600 });
  return path;
}

export async function readProvisioning(file: string): Promise<Provisioning> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new TrialsimError('USAGE', `cannot read provisioning file ${file}: ${(cause as Error).message}`, {
      cause,
    });
  }
  const parsed = provisioningSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TrialsimError(
      'USAGE',
      `${file}: not a ${PROVISIONING_FORMAT} file (${issue?.path.join('.') || '(root)'}: ${issue?.message})`,
    );
  }
  return parsed.data;
}

/** The device's factory state from its provisioning (what a reset restores). */
export function factoryState(provisioning: Provisioning, now: number, commissioned: boolean): DeviceState {
  const { device } = provisioning;
  const state = newDeviceState({
    identity: {
      eui: parseEui(device.eui),
      deviceType: device.deviceType,
      manufacturer: device.manufacturer,
      model: device.model,
      hardwareVersion: device.hardwareVersion,
    },
    keys: {
      kaPrivate: fromHex(provisioning.keys.kaPrivateKey),
      dsPrivate: fromHex(provisioning.keys.dsPrivateKey),
      manufacturerPublic: fromHex(provisioning.keys.manufacturerPublicKey),
    },
    firmwareVersion: device.firmwareVersion,
    trustAnchors: provisioning.trustAnchors.map((cell) => ({
      role: cell.role,
      keyUsage: cell.keyUsage,
      cellUsage: cell.cellUsage,
      eui: parseEui(cell.eui),
      publicKey: fromHex(cell.publicKey),
    })),
    now,
    profile: provisioning.profile,
  });
  return commissioned ? { ...state, lifecycle: 'commissioned' } : state;
}

export function kaPublicKeyOf(provisioning: Provisioning): Uint8Array {
  return fromHex(provisioning.keys.kaPublicKey);
}
