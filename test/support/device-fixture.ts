import { cborContentCodec } from '../../simulator/adapters/wire/envelope.js';
import type { DeviceProfile } from '../../simulator/domain/device/device-firmware-state.js';
import type { DeviceEnvironment, DeviceStep } from '../../simulator/domain/device/device-machine.js';
import { type DeviceState, newDeviceState } from '../../simulator/domain/device/device-state.js';
import type { TrustAnchorCell } from '../../simulator/domain/device/trust-anchors.js';
import { type Eui, euiFromBytes, euiToBytes, parseEui } from '../../simulator/domain/eui.js';
import {
  type FirmwareHeader,
  firmwareImageHash,
  toHex,
} from '../../simulator/domain/firmware/firmware-image.js';
import { buildSignedImage, NO_BOOT_MARKER } from '../../simulator/domain/firmware/firmware-signing.js';
import { decodeGbcsMessage } from '../../simulator/domain/gbcs/apdu/gbcs-message.js';
import {
  type GeneralSigningApdu,
  SIGNATURE_EMPTY,
} from '../../simulator/domain/gbcs/apdu/general-signing.js';
import { messageCodeOnly } from '../../simulator/domain/gbcs/apdu/other-information.js';
import {
  encodeMacProtected,
  encodeSignedAndMacProtected,
} from '../../simulator/domain/gbcs/protection/gbcs-protect.js';
import { SharedSecretCache } from '../../simulator/domain/gbcs/protection/shared-secret-cache.js';
import { formatMessageCode } from '../../simulator/domain/gbcs/use-cases/use-case-catalogue.js';
import { srvForMessageCode } from '../../simulator/domain/gbcs/wire/trialsim-profile.js';
import type { GbcsFrame, GbcsPayload } from '../../simulator/domain/messages/gbcs-messages.js';
import {
  isRelayedEcs17b,
  openRelayedEcs17b,
} from '../../simulator/domain/services/content/ecs17b-requester.js';
import {
  readAlertContent,
  readResponseContent,
  writeCommandContent,
} from '../../simulator/domain/services/content/wire-content.js';
import { commandMessageCode } from '../../simulator/domain/services/service-catalogue.js';
import { deriveKeyPair, type KeyPair } from '../../simulator/domain/smki/key-pair.js';
import type { RemotePartyRole } from '../../simulator/domain/smki/remote-party-roles.js';

/**
 * A device state machine and the parties around it, without broker or PKI certificates: keys
 * come straight from deriveKeyPair, so property tests can run thousands of steps quickly.
 */
export const START = Date.parse('2027-01-04T09:00:00Z');
const SEED = 'test/device';

export interface Party {
  readonly name: string;
  readonly eui: Eui;
  readonly role: RemotePartyRole;
  readonly ds: KeyPair;
  readonly ka: KeyPair;
}

function party(name: string, eui: string, role: RemotePartyRole): Party {
  return {
    name,
    eui: parseEui(eui),
    role,
    ds: deriveKeyPair(SEED, `${name}/ds`),
    ka: deriveKeyPair(SEED, `${name}/ka`),
  };
}

export const SUPPLIER = party('supplier', '90-B3-D5-1F-30-01-00-00', 'supplier');
export const NETWORK_OPERATOR = party('network-operator', '90-B3-D5-1F-30-02-00-00', 'networkOperator');
export const ACB = party('acb', '90-B3-D5-1F-30-00-00-02', 'accessControlBroker');
/** A party the device holds no trust anchor for. */
export const STRANGER = party('stranger', '90-B3-D5-1F-30-0F-00-00', 'supplier');
export const MANUFACTURER = deriveKeyPair(SEED, 'manufacturer/ds');
export const DEVICE_EUI = parseEui('00-12-4B-00-00-00-01-01');
export const DEVICE_KA = deriveKeyPair(SEED, 'device/ka');
export const DEVICE_DS = deriveKeyPair(SEED, 'device/ds');
export const MANUFACTURER_NAME = 'Acme Meters Ltd';

export const secrets = new SharedSecretCache(256);
export const env: DeviceEnvironment = { codec: cborContentCodec, secrets };

/** A party's two management cells (DS and KA), as a device holds them from the factory. */
export function managementCells(p: Pick<Party, 'eui' | 'role' | 'ds' | 'ka'>): TrustAnchorCell[] {
  return [
    {
      role: p.role,
      keyUsage: 'digitalSignature',
      cellUsage: 'management',
      eui: p.eui,
      publicKey: p.ds.publicKey,
    },
    {
      role: p.role,
      keyUsage: 'keyAgreement',
      cellUsage: 'management',
      eui: p.eui,
      publicKey: p.ka.publicKey,
    },
  ];
}

export function newTestDevice(profile: Partial<DeviceProfile> = {}): DeviceState {
  const state = newDeviceState({
    identity: {
      eui: DEVICE_EUI,
      deviceType: 'ESME',
      manufacturer: MANUFACTURER_NAME,
      model: 'ACME-E-TRIAL',
      hardwareVersion: '1.0',
    },
    keys: {
      kaPrivate: DEVICE_KA.privateKey,
      dsPrivate: DEVICE_DS.privateKey,
      manufacturerPublic: MANUFACTURER.publicKey,
    },
    firmwareVersion: '0.9.0',
    trustAnchors: [
      ...managementCells(SUPPLIER),
      ...managementCells(NETWORK_OPERATOR),
      ...managementCells(ACB),
    ],
    now: START,
    profile: { imageType: 1, ...profile },
  });
  return { ...state, lifecycle: 'commissioned' };
}

export function payloadFor(
  originator: Party,
  messageCode: string,
  counter: number,
  body: Record<string, unknown>,
  now = START,
): GbcsPayload {
  return {
    cra: 1,
    originator: euiToBytes(originator.eui),
    recipient: euiToBytes(DEVICE_EUI),
    counter,
    dateTime: Math.floor(now / 1000),
    messageCode,
    body,
  };
}

/** The command's GBCS APDU: the use case of its SRV on an ESME, the body as trialsim-profile content. */
export function commandApdu(payload: GbcsPayload): GeneralSigningApdu {
  const messageCode = commandMessageCode(payload.messageCode, 'ESME', payload.body);
  const counter = BigInt(payload.counter);
  return {
    cra: 'command',
    counter,
    originator: euiFromBytes(payload.originator),
    recipient: euiFromBytes(payload.recipient),
    dateTime: null,
    otherInformation: messageCodeOnly(messageCode),
    // The use case's GBCS payload as the DCC writes it (trialsim-profile CBOR where it has none).
    content: writeCommandContent(
      messageCode,
      payload.body,
      {
        counter,
        now: payload.dateTime * 1000,
        originator: euiFromBytes(payload.originator),
        recipient: euiFromBytes(payload.recipient),
      },
      cborContentCodec,
    ),
    signature: SIGNATURE_EMPTY,
  };
}

const acbKeys = (macer: Party) => ({
  ownKaPrivateKey: macer.ka.privateKey,
  peerKaPublicKey: DEVICE_KA.publicKey,
});

/** A critical command signed by `signer` (default: the claimed originator itself), MACed by the ACB. */
export function signedFrame(payload: GbcsPayload, signer: Party, macer: Party = ACB): GbcsFrame {
  return {
    apdu: encodeSignedAndMacProtected(commandApdu(payload), signer.ds.privateKey, acbKeys(macer), secrets),
  };
}

/** A non-critical command MACed by `macer` (the ACB, properly) for the device. */
export function macedFrame(payload: GbcsPayload, macer: Party = ACB): GbcsFrame {
  return { apdu: encodeMacProtected(commandApdu(payload), acbKeys(macer), secrets) };
}

export interface TestImage {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly hash: string;
  readonly hashBytes: Uint8Array;
  readonly version: string;
  /** Signed by the manufacturer, for this device's hardware, and it boots. */
  readonly good: boolean;
}

function image(
  name: string,
  header: Partial<FirmwareHeader>,
  options: { signer?: Uint8Array; boots?: boolean } = {},
): TestImage {
  const full: FirmwareHeader = {
    manufacturer: MANUFACTURER_NAME,
    imageType: 1,
    firmwareVersion: '1.0.0',
    hardwareVersions: ['1.0'],
    ...header,
  };
  const body = new Uint8Array(64).fill(name.length);
  if (options.boots === false) body.set(NO_BOOT_MARKER);
  const bytes = buildSignedImage(full, body, options.signer ?? MANUFACTURER.privateKey);
  const hashBytes = firmwareImageHash(bytes);
  const good =
    options.signer === undefined &&
    options.boots !== false &&
    full.manufacturer === MANUFACTURER_NAME &&
    full.imageType === 1 &&
    full.hardwareVersions.includes('1.0');
  return { name, bytes, hash: toHex(hashBytes), hashBytes, version: full.firmwareVersion, good };
}

export const IMAGES = {
  v100: image('v100', { firmwareVersion: '1.0.0' }),
  v091: image('v091', { firmwareVersion: '0.9.1' }),
  forged: image('forged', { firmwareVersion: '1.0.0' }, { signer: STRANGER.ds.privateKey }),
  hw11: image('hw11', { firmwareVersion: '1.1.0', hardwareVersions: ['1.1'] }),
  otherType: image('otherType', { firmwareVersion: '1.2.0', imageType: 4 }),
  noBoot: image('noBoot', { firmwareVersion: '0.9.2' }, { boots: false }),
} as const;

/**
 * Reads the messages a step sent back into the domain's view, for assertions: a response names
 * its SRV (from the message code) and the command counter it echoes; an alert its alert code,
 * with the wrapper's GBCS message code in `useCase`.
 */
export function sentPayloads(step: DeviceStep): GbcsPayload[] {
  return step.effects.flatMap((e): GbcsPayload[] => {
    if (e.type !== 'send') return [];
    const message = decodeGbcsMessage(e.frame.apdu);
    const { apdu } = message;
    const code = apdu.otherInformation.messageCode;
    const content =
      apdu.cra === 'response'
        ? readResponseContent(code, apdu.content, message.contentOffset, cborContentCodec)
        : readAlertContent(code, apdu.content, message.contentOffset, cborContentCodec);
    const base = {
      originator: euiToBytes(apdu.originator),
      recipient: euiToBytes(apdu.recipient),
      counter: Number(apdu.counter),
      dateTime: Math.floor(START / 1000),
      useCase: formatMessageCode(code),
    };
    if (apdu.cra === 'alert') {
      const { alertCode, ...body } = content;
      return [{ ...base, cra: 3 as const, messageCode: String(alertCode), body }];
    }
    const srv = srvForMessageCode(code, 'ESME') ?? formatMessageCode(code);
    return [
      {
        ...base,
        cra: 2 as const,
        messageCode: srv,
        inResponseTo: Number(apdu.counter),
        body: asTheRequesterReads(apdu.recipient, content),
      },
    ];
  });
}

/**
 * 4.1.1's registers as the party they are encrypted for reads them (GBCS.md §4.3), with its KA
 * key and the device's; a body the party cannot open keeps the refusal in `registersNotOpened`.
 */
function asTheRequesterReads(recipient: Eui, body: Record<string, unknown>): Record<string, unknown> {
  if (!isRelayedEcs17b(body)) return body;
  const reader = [SUPPLIER, NETWORK_OPERATOR, ACB, STRANGER].find((p) => p.eui === recipient);
  const opened = openRelayedEcs17b(body, {
    self: recipient,
    kaPrivateKey: reader?.ka.privateKey,
    devicePublicKey: (device) => (device === DEVICE_EUI ? DEVICE_KA.publicKey : undefined),
  });
  return opened.opened
    ? opened.body
    : { ...body, registersNotOpened: { rule: opened.rule, reason: opened.reason } };
}

/** The protection a sent message carries: `signed` (bare DF, device DS key) or `MACed`. */
export function sentProtection(step: DeviceStep): string[] {
  return step.effects.flatMap((e) => {
    if (e.type !== 'send') return [];
    const message = decodeGbcsMessage(e.frame.apdu);
    return [
      message.apdu.signature.kind === 'signed' ? 'signed' : message.mac === null ? 'unprotected' : 'MACed',
    ];
  });
}
