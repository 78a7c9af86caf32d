/**
 * The inputs of fixtures/test-vectors/wire-envelopes.json and how each expected value is made,
 * shared by the generator (which writes the file) and the test (which recomputes every byte).
 * Keys: deriveKeyPair(KEY_SEED, label), written out in the file, so a C port needs no seed logic.
 */
import { encodeControl } from '../../../harness/dut/dut-control.js';
import { encodeFrame } from '../../../simulator/adapters/serial/serial-frame.js';
import { encodeCbor } from '../../../simulator/adapters/wire/cbor-codec.js';
import { encodeEnvelope, encodeGbcsPayload } from '../../../simulator/adapters/wire/envelope.js';
import { Topics } from '../../../simulator/adapters/wire/topics.js';
import { type Eui, euiToBytes, parseEui } from '../../../simulator/domain/eui.js';
import type { GbcsMessageKind } from '../../../simulator/domain/gbcs/protection/message-kind.js';
import { macFor } from '../../../simulator/domain/gbcs/protection/protect.js';
import type { GbcsFrame, GbcsPayload } from '../../../simulator/domain/messages/gbcs-messages.js';
import { deriveKeyPair, type KeyPair, signDeterministic } from '../../../simulator/domain/smki/key-pair.js';

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

export interface PayloadInput {
  readonly cra: 1 | 2 | 3;
  readonly originator: keyof typeof PARTIES;
  readonly recipient: keyof typeof PARTIES;
  readonly counter: number;
  readonly dateTime: number;
  readonly messageCode: string;
  readonly inResponseTo?: number;
  readonly body: Record<string, unknown>;
}

export interface GbcsCase {
  readonly name: string;
  readonly topic: string;
  readonly payload: PayloadInput;
  /** Critical: signed with the originator's DS key. Otherwise MACed: by `macBy`'s KA key (the ACB for commands). */
  readonly protection:
    | { readonly signedBy: keyof typeof PARTIES }
    | { readonly macBy: keyof typeof PARTIES; readonly kind: GbcsMessageKind };
}

const topics = new Topics(NAMESPACE);
const esme = PARTIES.esme.eui;

export const GBCS_CASES: readonly GbcsCase[] = [
  {
    name: '8.1.1 Commission Device: critical command, signed by the supplier (CV 5 Pre-Command)',
    topic: topics.wanDown(esme),
    payload: {
      cra: 1,
      originator: 'supplier',
      recipient: 'esme',
      counter: 4,
      dateTime: DATE_TIME,
      messageCode: '8.1.1',
      body: {},
    },
    protection: { signedBy: 'supplier' },
  },
  {
    name: '11.2 Read Firmware Version: non-critical command from the supplier, MACed by the ACB',
    topic: topics.wanDown(esme),
    payload: {
      cra: 1,
      originator: 'supplier',
      recipient: 'esme',
      counter: 5,
      dateTime: DATE_TIME,
      messageCode: '11.2',
      body: {},
    },
    protection: { macBy: 'acb', kind: 'command' },
  },
  {
    name: "the device's response to that 11.2, MACed for the supplier",
    topic: topics.wanUp(esme),
    payload: {
      cra: 2,
      originator: 'esme',
      recipient: 'supplier',
      counter: 2,
      dateTime: DATE_TIME,
      messageCode: '11.2',
      inResponseTo: 5,
      body: { status: 'success', firmwareVersion: '0.9.0' },
    },
    protection: { macBy: 'esme', kind: 'response' },
  },
  {
    name: 'alert 0x8F3D Trusted Source Authentication Failure, raised to the ACB',
    topic: topics.wanUp(esme),
    payload: {
      cra: 3,
      originator: 'esme',
      recipient: 'acb',
      counter: 3,
      dateTime: DATE_TIME,
      messageCode: '0x8F3D',
      inResponseTo: 6,
      body: {
        detail: 'signature does not verify against the supplier trust anchor',
        originator: '90-B3-D5-1F-30-01-00-00',
      },
    },
    protection: { macBy: 'esme', kind: 'alert' },
  },
  {
    name: '4.1.1 with a counter above 2^32: the counter is a CBOR integer (1b …), never a float',
    topic: topics.wanDown(esme),
    payload: {
      cra: 1,
      originator: 'supplier',
      recipient: 'esme',
      counter: 4_294_967_297,
      dateTime: DATE_TIME + 86_400,
      messageCode: '4.1.1',
      body: {},
    },
    protection: { macBy: 'acb', kind: 'command' },
  },
];

export function payloadOf(input: PayloadInput): GbcsPayload {
  return {
    cra: input.cra,
    originator: euiToBytes(PARTIES[input.originator].eui),
    recipient: euiToBytes(PARTIES[input.recipient].eui),
    counter: input.counter,
    dateTime: input.dateTime,
    messageCode: input.messageCode,
    ...(input.inResponseTo === undefined ? {} : { inResponseTo: input.inResponseTo }),
    body: input.body,
  };
}

export function computeGbcsCase(c: GbcsCase) {
  const payloadBytes = encodeGbcsPayload(payloadOf(c.payload));
  const frame: GbcsFrame = { payload: payloadBytes };
  if ('signedBy' in c.protection) {
    frame.signature = signDeterministic(payloadBytes, PARTIES[c.protection.signedBy].ds.privateKey);
  } else {
    const own = PARTIES[c.protection.macBy];
    // The MAC key is between the sender's KA key and the recipient's; for a command the sender is
    // the ACB while the header's originator stays the User (PROTOCOL.md §5).
    const peer = c.protection.macBy === 'esme' ? PARTIES[c.payload.recipient] : PARTIES.esme;
    frame.mac = macFor(
      own.ka.privateKey,
      peer.ka.publicKey,
      {
        originator: PARTIES[c.payload.originator].eui,
        recipient: PARTIES[c.payload.recipient].eui,
        kind: c.protection.kind,
        counter: BigInt(c.payload.counter),
      },
      payloadBytes,
    );
  }
  const envelopeBytes = encodeEnvelope({ kind: 'gbcs', message: frame });
  return { payloadBytes, frame, envelopeBytes, serialFrame: encodeFrame('wan', envelopeBytes) };
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
      'Known-answer vectors for the trialsim wire (simulator/PROTOCOL.md): GBCS payloads as CBOR, their ECDSA signature or GMAC, the envelope published on MQTT, and the same envelope as a serial frame (COBS + CRC-32). All byte strings are lower-case hex; EUIs in payload inputs travel as 8-byte byte strings. Keys are deriveKeyPair("trialsim wire vectors", "<party>/<ds|ka>") and are given in full. Generated by test/support/vectors/generate-wire-vectors.ts; checked by test/unit/simulator/adapters/wire/wire-vectors.test.ts.',
    keys,
    gbcs: GBCS_CASES.map((c) => {
      const out = computeGbcsCase(c);
      return {
        name: c.name,
        topic: c.topic,
        payload: jsonValue({
          ...c.payload,
          originator: PARTIES[c.payload.originator].eui,
          recipient: PARTIES[c.payload.recipient].eui,
        }),
        protection: c.protection,
        expected: {
          payloadCbor: hex(out.payloadBytes),
          ...(out.frame.signature === undefined ? {} : { signature: hex(out.frame.signature) }),
          ...(out.frame.mac === undefined ? {} : { mac: hex(out.frame.mac) }),
          envelopeCbor: hex(out.envelopeBytes),
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
