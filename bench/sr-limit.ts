import { fleetEui } from '../harness/fleet/fleet-devices.js';
import { partyByName } from '../harness/stack/parties.js';
import {
  BrokerAccessControl,
  brokerClientId,
  deriveBrokerCredentials,
} from '../simulator/adapters/mqtt/broker-access-control.js';
import { startEmbeddedBroker } from '../simulator/adapters/mqtt/embedded-broker.js';
import { connectMqttClient } from '../simulator/adapters/mqtt/mqtt-client-connection.js';
import { MAX_MESSAGE_BYTES } from '../simulator/adapters/wire/cbor-codec.js';
import {
  decodeContentBody,
  decodeEnvelope,
  type Envelope,
  encodeContentBody,
  encodeEnvelope,
} from '../simulator/adapters/wire/envelope.js';
import { Topics } from '../simulator/adapters/wire/topics.js';
import type { Eui } from '../simulator/domain/eui.js';
import { decodeGbcsMessage } from '../simulator/domain/gbcs/apdu/gbcs-message.js';
import {
  encodeGeneralSigning,
  type GeneralSigningApdu,
  SIGNATURE_EMPTY,
  SIGNATURE_OMITTED,
} from '../simulator/domain/gbcs/apdu/general-signing.js';
import { macHeaderFrame } from '../simulator/domain/gbcs/apdu/mac-header.js';
import { messageCodeOnly } from '../simulator/domain/gbcs/apdu/other-information.js';
import { responseTo } from '../simulator/domain/gbcs/apdu/response-header.js';
import { ecdhSharedSecret } from '../simulator/domain/gbcs/protection/ecdh-shared-secret.js';
import {
  checkGbcsMac,
  encodeMacProtected,
  macInPlace,
} from '../simulator/domain/gbcs/protection/gbcs-protect.js';
import {
  checkGbcsSignature,
  signGeneralSigning,
} from '../simulator/domain/gbcs/protection/gbcs-signature.js';
import { SharedSecretCache } from '../simulator/domain/gbcs/protection/shared-secret-cache.js';
import { deriveKeyPair, signDeterministic } from '../simulator/domain/smki/key-pair.js';
import { type BareCosts, measureBareCosts } from './bare-limit.js';
import { bestOf, type Cost, costPerCall, cpuSeconds } from './bench-timing.js';
import type { SrKind } from './sr-throughput.js';

/** Cost of each kind of work a service request needs, measured in isolation. */
export interface UnitCosts {
  /** One QoS 1 message through the embedded broker, publisher to subscriber, pipelined. */
  readonly brokerMessage: Cost;
  /** One User-side envelope encoded by its sender and decoded (and validated) by its receiver. */
  readonly envelope: Cost;
  /** One GBCS APDU (header and content) encoded and decoded: the GBCS codec's share. */
  readonly gbcsPayload: Cost;
  /** One GBCS MAC computed into its message (shared secret from the cache, KDF with OtherInfo, GMAC); the APDU's encoding is gbcsPayload's. */
  readonly macCompute: Cost;
  /** One GBCS MAC checked. */
  readonly macCheck: Cost;
  /** ECDSA P-256 deterministic signature over the GBCS signed bytes (a Pre-Command, a device-signed response), already encoded. */
  readonly sign: Cost;
  /** ECDSA P-256 verification of a GBCS signature (the device checks the User's; the DCC the device's). */
  readonly verify: Cost;
  /** ECDH alone, for information: the cache keeps it off the per-message path. */
  readonly ecdh: Cost;
  /** Bytes of each message of one SR, in flow order (what the message-pattern floor sends). */
  readonly messageBytes: Readonly<Record<SrKind, readonly number[]>>;
  /** The same work on the bare primitives, measured on the same inputs in the same round. */
  readonly bare: BareCosts;
}

/** How many of each unit one SR needs (DCC.md §2 flows; message counts checked against the trace). */
export const SR_RECIPES: Readonly<
  Record<SrKind, Readonly<Record<Exclude<keyof UnitCosts, 'ecdh' | 'messageBytes' | 'bare'>, number>>>
> = {
  // SR → DCC; I99 → user; ECS52 command (ACB MAC) → device; MACed response → DCC; I0 → user. The
  // device checks the ACB's MAC; the response's MAC is for the User, which the DCC cannot check.
  read: { brokerMessage: 5, envelope: 3, gbcsPayload: 2, macCompute: 2, macCheck: 1, sign: 0, verify: 0 },
  // CV 4 → DCC; I0 + Pre-Command → user; CV 5 → DCC; I99 → user; ECS70 command (signed, ACB MAC) →
  // device; device-signed response → DCC; I0 → user. Signatures: the User's and the device's.
  critical: { brokerMessage: 7, envelope: 5, gbcsPayload: 3, macCompute: 1, macCheck: 1, sign: 2, verify: 2 },
};

/**
 * Seconds one SR needs at least, by the wall clock or by CPU time: its crypto and codec work
 * (SR_RECIPES) plus the broker's share. The broker's share is `pattern`, the cost of the SR's own
 * messages alone (sr-message-pattern.ts), when given; otherwise the recipe's message count times
 * one message of a one-way pipelined stream (the cheaper figure, shown for information).
 */
export function secondsPerSr(
  kind: SrKind,
  costs: UnitCosts,
  pattern: Cost | undefined,
  clock: keyof Cost = 'wall',
): number {
  const { brokerMessage: messages, ...work } = SR_RECIPES[kind];
  const broker = pattern === undefined ? messages * costs.brokerMessage[clock] : pattern[clock];
  return (Object.keys(work) as (keyof typeof work)[]).reduce(
    (sum, unit) => sum + work[unit] * costs[unit][clock],
    broker,
  );
}

/** The unit costs, in seconds by `clock`, that the old strict limit sums (trialsim's own functions). */
export function wrappedSeconds(costs: UnitCosts, clock: keyof Cost = 'wall'): Record<Unit, number> {
  return {
    brokerMessage: costs.brokerMessage[clock],
    envelope: costs.envelope[clock],
    gbcsPayload: costs.gbcsPayload[clock],
    macCompute: costs.macCompute[clock],
    macCheck: costs.macCheck[clock],
    sign: costs.sign[clock],
    verify: costs.verify[clock],
  };
}

/**
 * The same units on the bare primitives: raw cbor-x for an envelope, the GBCS codec alone for a
 * payload, SHA-256 KDF + AES-GCM for a MAC computed or checked, node's native ECDSA, and the broker's
 * one-way stream (which is already bare: no trialsim code between publisher and subscriber).
 */
export function bareSeconds(costs: UnitCosts, clock: keyof Cost = 'wall'): Record<Unit, number> {
  return {
    brokerMessage: costs.brokerMessage[clock],
    envelope: costs.bare.cbor[clock],
    gbcsPayload: costs.bare.gbcsCodec[clock],
    macCompute: costs.bare.kdfGcm[clock],
    macCheck: costs.bare.kdfGcm[clock],
    sign: costs.bare.sign[clock],
    verify: costs.bare.verify[clock],
  };
}

/** A unit of work one SR needs (SR_RECIPES). */
export type Unit = keyof (typeof SR_RECIPES)['read'];

export async function measureUnitCosts(options: {
  brokerMessages: number;
  calls: number;
  /** Messages in flight at once: the SR benchmark's window (at most one message per SR is). */
  window: number;
}): Promise<UnitCosts> {
  const brokerMessage = await measureBrokerMessage(options.brokerMessages, options.window);
  const supplier = partyByName('supplier-a').eui;
  const device = fleetEui(1);
  const acb = deriveKeyPair('limit', 'acb/ka');
  const deviceKa = deriveKeyPair('limit', 'device/ka');
  const supplierDs = deriveKeyPair('limit', 'supplier/ds');
  const secrets = new SharedSecretCache();

  // An 11.2 to an ESME as the wire carries it: ECS52 (0x0059), MACed by the ACB (GBCS.md §2.5).
  const command: GeneralSigningApdu = {
    cra: 'command',
    counter: 1_000_123n,
    originator: supplier,
    recipient: device,
    dateTime: null,
    otherInformation: messageCodeOnly(0x0059),
    content: encodeContentBody({}),
    signature: SIGNATURE_EMPTY,
  };
  const acbKeys = { ownKaPrivateKey: acb.privateKey, peerKaPublicKey: deviceKa.publicKey };
  const deviceKeys = { ownKaPrivateKey: deviceKa.privateKey, peerKaPublicKey: acb.publicKey };
  const macedCommand = encodeMacProtected(command, acbKeys, secrets);
  const signedCommand = signGeneralSigning(command, supplierDs.privateKey);
  const signedWire = encodeMacProtected(signedCommand, acbKeys, secrets);
  const signedMessage = decodeGbcsMessage(signedWire);
  const macedMessage = decodeGbcsMessage(macedCommand);
  const response = responseTo(command, encodeContentBody({ status: 'success', firmwareVersion: '3.2.0' }));

  const samples = sampleEnvelopes(
    supplier,
    device,
    encodeGeneralSigning({ ...command, signature: SIGNATURE_OMITTED }),
  );
  const all = Object.values(samples);
  const envelope = costPerCall(
    (i) => decodeEnvelope(encodeEnvelope(all[i % all.length] as Envelope)),
    options.calls,
  );
  // The GBCS codec: the APDU with its header and content, encoded and decoded.
  const gbcsPayload = costPerCall(
    () => decodeContentBody(decodeGbcsMessage(encodeGeneralSigning(response)).apdu.content),
    options.calls,
  );
  // A MAC computed and a signature made, each without encoding the APDU: gbcsPayload above already
  // counts the encoding of every GBCS message of an SR, so measuring encodeMacProtected or
  // encodeDeviceSigned whole counted it twice in the limit, and set it against a bare side that
  // gets the encoded bytes (#21). macInPlace is encodeMacProtected's MAC step (the shared secret
  // from the cache, the KDF, GCM, the MAC written into the message), and signDeterministic what
  // encodeDeviceSigned and signPreCommandBytes call on the bytes in place; the bare side also
  // derives a fresh key for each of 256 counters, and signs the same signed bytes.
  const macFrame = macHeaderFrame(encodeGeneralSigning(command).length);
  macFrame.bytes.set(encodeGeneralSigning(command), macFrame.generalSigningAt);
  const macHeaders = Array.from({ length: 256 }, (_, i) => ({ ...command, counter: BigInt(i) }));
  const macCompute = costPerCall(
    (i) => macInPlace(macFrame, macHeaders[i & 0xff] as GeneralSigningApdu, acbKeys, secrets),
    options.calls,
  );
  const macCheck = costPerCall(() => checkGbcsMac(macedMessage, deviceKeys, secrets), options.calls);
  const sign = costPerCall(
    () => signDeterministic(signedMessage.signedBytes, supplierDs.privateKey),
    Math.ceil(options.calls / 4),
  );
  const verify = costPerCall(
    () => checkGbcsSignature(signedMessage.signedBytes, signedMessage.apdu, supplierDs.publicKey),
    Math.ceil(options.calls / 4),
  );
  const ecdh = costPerCall(
    () => ecdhSharedSecret(acb.privateKey, deviceKa.publicKey),
    Math.ceil(options.calls / 4),
  );
  const bare = measureBareCosts({
    calls: options.calls,
    envelopes: all.map(envelopeWireValue),
    gbcsApdu: response,
    macInput: {
      sharedSecret: secrets.sharedSecret(acb.privateKey, deviceKa.publicKey),
      originator: supplier,
      generalSigning: encodeGeneralSigning(command),
    },
    signedBytes: signedMessage.signedBytes,
    ds: supplierDs,
    ka: { own: acb, peer: deviceKa },
  });
  // Device topics carry the raw APDU; the User side an envelope.
  const raw = {
    macedCommand,
    macedResponse: encodeMacProtected(response, deviceKeys, secrets),
    signedCommand: signedWire,
  };
  const sizes = (names: readonly (keyof typeof samples | keyof typeof raw)[]) =>
    names.map((name) =>
      name in raw
        ? raw[name as keyof typeof raw].length
        : encodeEnvelope(samples[name as keyof typeof samples]).length,
    );
  return {
    brokerMessage,
    envelope,
    gbcsPayload,
    macCompute,
    macCheck,
    sign,
    verify,
    ecdh,
    bare,
    messageBytes: {
      read: sizes(['request', 'accepted', 'macedCommand', 'macedResponse', 'response']),
      critical: sizes([
        'request',
        'preCommand',
        'signedPreCommand',
        'accepted',
        'signedCommand',
        'macedResponse',
        'response',
      ]),
    },
  };
}

/** What encodeEnvelope hands to CBOR (the version and the envelope's two members). */
function envelopeWireValue(envelope: Envelope): unknown {
  return { v: 1, kind: envelope.kind, message: envelope.message };
}

/** The User-side envelopes of one 11.2 and one 8.1.1, as the parties send them (DCC.md §2 flows). */
function sampleEnvelopes(
  supplier: Eui,
  device: Eui,
  preCommand: Uint8Array,
): Record<'request' | 'accepted' | 'response' | 'preCommand' | 'signedPreCommand', Envelope> {
  const requestId = `${supplier}:${device}:1000123`;
  const response = (responseCode: 'I0' | 'I99', body?: Record<string, unknown>): Envelope => ({
    kind: 'serviceResponse',
    message: {
      responseId: `${requestId}:r`,
      requestId,
      serviceReferenceVariant: '11.2',
      responseCode,
      ...(body === undefined ? {} : { body }),
    },
  });
  return {
    request: {
      kind: 'serviceRequest',
      message: {
        requestId,
        commandVariant: 1,
        serviceReference: '11.2',
        serviceReferenceVariant: '11.2',
        body: {},
      },
    },
    accepted: response('I99'),
    response: response('I0', { status: 'success', firmwareVersion: '3.2.0' }),
    preCommand: {
      kind: 'serviceResponse',
      message: {
        responseId: `${requestId}:r`,
        requestId,
        serviceReferenceVariant: '8.1.1',
        responseCode: 'I0',
        preCommand,
      },
    },
    signedPreCommand: {
      kind: 'serviceRequest',
      message: {
        requestId,
        commandVariant: 5,
        serviceReference: '8.1',
        serviceReferenceVariant: '8.1.1',
        body: {},
        preCommand,
        signature: new Uint8Array(64),
      },
    },
  };
}

/**
 * The broker's share: a QoS 1 publisher and a subscriber on the embedded broker with the same
 * access control and the same client set-up as a run (connectMqttClient: TCP_NODELAY, writes
 * coalesced per event-loop turn), a 300-byte payload, `window` messages unacknowledged at most —
 * the SR benchmark's window, so both see the same batching of packets into system calls.
 */
async function measureBrokerMessage(messages: number, window: number): Promise<Cost> {
  const seed = 'bench-broker';
  const topics = new Topics(`bench-broker-${process.pid}`);
  const accessControl = new BrokerAccessControl({ seed, topics, maxPayloadBytes: MAX_MESSAGE_BYTES });
  const broker = await startEmbeddedBroker({ accessControl, localSocket: true });
  const user = { role: 'user' as const, eui: partyByName('supplier-a').eui as Eui };
  const dcc = { role: 'dcc' as const };
  const connect = (principal: typeof user | typeof dcc) =>
    connectMqttClient({
      url: broker.localUrl,
      clientId: brokerClientId(topics.namespace, principal),
      ...deriveBrokerCredentials(seed, principal),
    });
  const publisher = await connect(user);
  const subscriber = await connect(dcc);
  try {
    await subscriber.subscribeAsync(topics.dccSubscriptions(), { qos: 1 });
    const payload = Buffer.alloc(300, 7);
    const topic = topics.dccIn(user.eui);
    const run = async (count: number): Promise<Cost> => {
      let received = 0;
      const all = new Promise<void>((resolve) => {
        const onMessage = () => {
          if (++received === count) {
            subscriber.off('message', onMessage);
            resolve();
          }
        };
        subscriber.on('message', onMessage);
      });
      const cpuStarted = cpuSeconds();
      const started = performance.now();
      let next = 0;
      const lane = async () => {
        while (next < count) {
          next++;
          await publisher.publishAsync(topic, payload, { qos: 1 });
        }
      };
      await Promise.all(Array.from({ length: window }, lane));
      await all;
      return { wall: (performance.now() - started) / 1000 / count, cpu: (cpuSeconds() - cpuStarted) / count };
    };
    // The limit is the best the broker can do: warm it up, then keep the fastest of three runs.
    await run(Math.max(3_000, Math.floor(messages / 2)));
    return bestOf([await run(messages), await run(messages), await run(messages)]);
  } finally {
    await publisher.endAsync();
    await subscriber.endAsync();
    await broker.close();
  }
}
