/**
 * The inputs of fixtures/test-vectors/wire-envelopes.json and how each expected value is made,
 * shared by the generator (which writes the file) and the test (which recomputes every byte).
 * Keys: deriveKeyPair(KEY_SEED, label), written out in the file, so a C port needs no seed logic.
 */
import { encodeControl } from '../../../harness/dut/dut-control.js';
import { encodeFrame } from '../../../simulator/adapters/serial/serial-frame.js';
import { encodeCbor } from '../../../simulator/adapters/wire/cbor-codec.js';
import { encodeContentBody } from '../../../simulator/adapters/wire/envelope.js';
import { Topics } from '../../../simulator/adapters/wire/topics.js';
import { type Eui, parseEui } from '../../../simulator/domain/eui.js';
import {
  type GeneralSigningApdu,
  SIGNATURE_EMPTY,
} from '../../../simulator/domain/gbcs/apdu/general-signing.js';
import { acbForm, messageCodeOnly } from '../../../simulator/domain/gbcs/apdu/other-information.js';
import {
  encodeDeviceSigned,
  encodeMacProtected,
  encodeSignedAndMacProtected,
} from '../../../simulator/domain/gbcs/protection/gbcs-protect.js';
import { deriveKeyPair, type KeyPair } from '../../../simulator/domain/smki/key-pair.js';

export const KEY_SEED = 'trialsim wire vectors';
export const NAMESPACE = 'dut';

export interface VectorParty {
  readonly name: string;
  readonly eui: Eui;
  readonly ds: KeyPair;
  readonly ka: KeyPair;
}

function party(name: string, eui: string): VectorParty {
  return {
    name,
    eui: parseEui(eui),
    ds: deriveKeyPair(KEY_SEED, `${name}/ds`),
    ka: deriveKeyPair(KEY_SEED, `${name}/ka`),
  };
}

export const PARTIES = {
  supplier: party('supplier', '90-B3-D5-1F-30-01-00-00'),
  acb: party('acb', '90-B3-D5-1F-30-00-00-02'),
  esme: party('esme', '00-12-4B-00-00-00-01-01'),
} as const;

/** 2027-01-04T09:00:00Z, the commissioning scenario's virtual start, in seconds. */
const DATE_TIME = 1_798_966_800;

/** One device message: the GBCS header fields, the trialsim-profile content and the protection. */
export interface GbcsCase {
  readonly name: string;
  readonly topic: string;
  readonly cra: 'command' | 'response' | 'alert';
  readonly originator: keyof typeof PARTIES;
  readonly recipient: keyof typeof PARTIES;
  readonly counter: bigint;
  /** GBCS message code in other-information. */
  readonly messageCode: number;
  /** ACB form: the User and its counter as supplementary remote party (GBCS.md §2.4). */
  readonly supplementary?: { readonly party: keyof typeof PARTIES; readonly counter: bigint };
  /** The content field: the body as CBOR (PROTOCOL.md §5). */
  readonly body: Record<string, unknown>;
  /**
   * `signedAndMaced`: signed by the originator's DS key, then MACed by the ACB (critical command);
   * `maced`: MACed between the two KA keys GBCS names (ACB ↔ device for commands);
   * `deviceSigned`: the device's DS key, bare `DF` (critical responses and alerts).
   */
  readonly protection: 'signedAndMaced' | 'maced' | 'deviceSigned';
}

const topics = new Topics(NAMESPACE);
const esme = PARTIES.esme.eui;

export const GBCS_CASES: readonly GbcsCase[] = [
  {
    name: '8.1.1 Commission Device → ECS70 0x0062: critical command, signed by the supplier, MACed by the ACB',
    topic: topics.wanDown(esme),
    cra: 'command',
    originator: 'supplier',
    recipient: 'esme',
    counter: 4n,
    messageCode: 0x0062,
    body: {},
    protection: 'signedAndMaced',
  },
  {
    name: "the ESME's response to that 8.1.1: counter echoed, device-signed",
    topic: topics.wanUp(esme),
    cra: 'response',
    originator: 'esme',
    recipient: 'supplier',
    counter: 4n,
    messageCode: 0x0062,
    body: { status: 'success' },
    protection: 'deviceSigned',
  },
  {
    name: '11.2 Read Firmware Version → ECS52 0x0059: non-critical command from the supplier, MACed by the ACB',
    topic: topics.wanDown(esme),
    cra: 'command',
    originator: 'supplier',
    recipient: 'esme',
    counter: 5n,
    messageCode: 0x0059,
    body: {},
    protection: 'maced',
  },
  {
    name: "the device's response to that 11.2, MACed between the ESME's and the supplier's KA keys",
    topic: topics.wanUp(esme),
    cra: 'response',
    originator: 'esme',
    recipient: 'supplier',
    counter: 5n,
    messageCode: 0x0059,
    body: { status: 'success', firmwareVersion: '0.9.0' },
    protection: 'maced',
  },
  {
    name: '11.2 to a comms hub in the ACB form: the ACB originates, the supplier and its counter in other-information',
    topic: topics.wanDown(esme),
    cra: 'command',
    originator: 'acb',
    recipient: 'esme',
    counter: BigInt(DATE_TIME) * 1000n,
    messageCode: 0x0059,
    supplementary: { party: 'supplier', counter: 6n },
    body: {},
    protection: 'maced',
  },
  {
    name: 'alert 0x8F3D Trusted Source Authentication Failure: a Generic Critical Alert 0x1000 to the supplier, device-signed',
    topic: topics.wanUp(esme),
    cra: 'alert',
    originator: 'esme',
    recipient: 'supplier',
    counter: 3n,
    messageCode: 0x1000,
    body: {
      alertCode: '0x8F3D',
      detail: 'signature does not verify against the supplier trust anchor',
    },
    protection: 'deviceSigned',
  },
];

export function apduOf(c: GbcsCase): GeneralSigningApdu {
  return {
    cra: c.cra,
    counter: c.counter,
    originator: PARTIES[c.originator].eui,
    recipient: PARTIES[c.recipient].eui,
    dateTime: null,
    otherInformation:
      c.supplementary === undefined
        ? messageCodeOnly(c.messageCode)
        : acbForm(c.messageCode, PARTIES[c.supplementary.party].eui, c.supplementary.counter),
    content: encodeContentBody(c.body),
    signature: SIGNATURE_EMPTY,
  };
}

/** The KA pair of a MAC from the sender's side (GBCS.md §4.2): commands always ACB ↔ device. */
function macKeys(c: GbcsCase) {
  if (c.cra === 'command')
    return { ownKaPrivateKey: PARTIES.acb.ka.privateKey, peerKaPublicKey: PARTIES[c.recipient].ka.publicKey };
  return {
    ownKaPrivateKey: PARTIES[c.originator].ka.privateKey,
    peerKaPublicKey: PARTIES[c.recipient].ka.publicKey,
  };
}

export function computeGbcsCase(c: GbcsCase) {
  const apdu = apduOf(c);
  const bytes =
    c.protection === 'deviceSigned'
      ? encodeDeviceSigned(apdu, PARTIES[c.originator].ds.privateKey)
      : c.protection === 'signedAndMaced'
        ? encodeSignedAndMacProtected(apdu, PARTIES[c.originator].ds.privateKey, macKeys(c))
        : encodeMacProtected(apdu, macKeys(c));
  return { contentBytes: apdu.content, apdu: bytes, serialFrame: encodeFrame('wan', bytes) };
}

export const CONTROL_CASES = [
  {
    name: 'reset (harness → device), on the control topic',
    topic: `trialsim/v1/${NAMESPACE}/dut/control/${esme}`,
    message: { v: 1, kind: 'reset', nonce: 7, now: DATE_TIME * 1000, commissioned: false } as const,
  },
  {
    name: 'ready (device → harness), answering that reset',
    topic: `trialsim/v1/${NAMESPACE}/dut/status/${esme}`,
    message: {
      v: 1,
      kind: 'ready',
      nonce: 7,
      eui: esme as string,
      firmwareVersion: '0.9.0',
      kaPublicKey: PARTIES.esme.ka.publicKey,
      reportsHandled: true,
    } as const,
  },
  {
    name: 'time (harness → device): virtual time reached the timer the device reported',
    topic: `trialsim/v1/${NAMESPACE}/dut/control/${esme}`,
    message: { v: 1, kind: 'time', now: (DATE_TIME + 86_400) * 1000 } as const,
  },
  {
    name: 'handled (device → harness): one WAN-down message dealt with, two WAN-up messages sent for it',
    topic: `trialsim/v1/${NAMESPACE}/dut/status/${esme}`,
    message: { v: 1, kind: 'handled', sent: 2 } as const,
  },
];

export function computeControlCase(c: (typeof CONTROL_CASES)[number]) {
  const bytes = encodeControl(c.message);
  return { bytes, serialFrame: encodeFrame('control', bytes) };
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The JSON a C implementer reads: inputs as plain values (EUIs as text, bytes as hex). */
export function jsonValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return hex(value);
  if (Array.isArray(value)) return value.map(jsonValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonValue(v)]));
  }
  return value;
}

export function buildVectorFile() {
  const keys = Object.fromEntries(
    Object.entries(PARTIES).map(([name, p]) => [
      name,
      {
        eui: p.eui,
        dsPrivateKey: hex(p.ds.privateKey),
        dsPublicKey: hex(p.ds.publicKey),
        kaPrivateKey: hex(p.ka.privateKey),
        kaPublicKey: hex(p.ka.publicKey),
      },
    ]),
  );
  return {
    description:
      'Known-answer vectors for the trialsim device wire (simulator/PROTOCOL.md): GBCS APDUs (MAC header DD around general-signing DF, or a bare device-signed DF) with the GBCS protection (ECDSA P-256 over the bytes after DF, RFC 6979 k; GMAC with the GBCS KDF, IV and AAD), exactly the bytes an MQTT device topic carries, the same APDU as a serial frame (COBS + CRC-32), and the control channel messages (CBOR). Content is the trialsim-profile CBOR body. All byte strings are lower-case hex. Keys are deriveKeyPair("trialsim wire vectors", "<party>/<ds|ka>") and are given in full. Generated by test/support/vectors/generate-wire-vectors.ts; checked by test/unit/simulator/adapters/wire/wire-vectors.test.ts.',
    keys,
    gbcs: GBCS_CASES.map((c) => {
      const out = computeGbcsCase(c);
      return {
        name: c.name,
        topic: c.topic,
        header: {
          cra: c.cra,
          counter: c.counter.toString(),
          originator: PARTIES[c.originator].eui,
          recipient: PARTIES[c.recipient].eui,
          messageCode: `0x${c.messageCode.toString(16).padStart(4, '0')}`,
          ...(c.supplementary === undefined
            ? {}
            : {
                supplementaryRemoteParty: PARTIES[c.supplementary.party].eui,
                supplementaryRemotePartyCounter: c.supplementary.counter.toString(),
              }),
        },
        body: jsonValue(c.body),
        protection: c.protection,
        expected: {
          contentCbor: hex(out.contentBytes),
          apdu: hex(out.apdu),
          serialFrame: hex(out.serialFrame),
        },
      };
    }),
    control: CONTROL_CASES.map((c) => {
      const out = computeControlCase(c);
      return {
        name: c.name,
        topic: c.topic,
        message: jsonValue(c.message),
        expected: { cbor: hex(out.bytes), serialFrame: hex(out.serialFrame) },
      };
    }),
    cbor: [
      {
        name: 'largest counter kept as a 32-bit head',
        value: 4_294_967_295,
        expected: hex(encodeCbor(4_294_967_295)),
      },
      { name: 'first counter above 32 bits', value: 4_294_967_296, expected: hex(encodeCbor(4_294_967_296)) },
    ],
  };
}
