import mqtt from 'mqtt';
import { fleetEui } from '../harness/fleet/fleet-devices.js';
import { partyByName } from '../harness/stack/parties.js';
import {
  BrokerAccessControl,
  brokerClientId,
  deriveBrokerCredentials,
} from '../simulator/adapters/mqtt/broker-access-control.js';
import { startEmbeddedBroker } from '../simulator/adapters/mqtt/embedded-broker.js';
import { MAX_MESSAGE_BYTES } from '../simulator/adapters/wire/cbor-codec.js';
import {
  decodeEnvelope,
  decodeGbcsPayload,
  type Envelope,
  encodeEnvelope,
  encodeGbcsPayload,
} from '../simulator/adapters/wire/envelope.js';
import { Topics } from '../simulator/adapters/wire/topics.js';
import { type Eui, euiToBytes } from '../simulator/domain/eui.js';
import { ecdhSharedSecret } from '../simulator/domain/gbcs/protection/mac-key-derivation.js';
import { checkMac, macFor } from '../simulator/domain/gbcs/protection/protect.js';
import { SharedSecretCache } from '../simulator/domain/gbcs/protection/shared-secret-cache.js';
import type { GbcsPayload } from '../simulator/domain/messages/gbcs-messages.js';
import { deriveKeyPair, signDeterministic, verifySignature } from '../simulator/pki/key-pair.js';
import { bestOf, type Cost, costPerCall, cpuSeconds } from './bench-timing.js';
import type { SrKind } from './sr-throughput.js';

/** Cost of each kind of work a service request needs, measured in isolation. */
export interface UnitCosts {
  /** One QoS 1 message through the embedded broker, publisher to subscriber, pipelined. */
  readonly brokerMessage: Cost;
  /** One envelope encoded by its sender and decoded (and validated) by its receiver. */
  readonly envelope: Cost;
  /** One GBCS payload encoded and decoded. */
  readonly gbcsPayload: Cost;
  /** One MAC computed (shared secret from the cache, KDF, GMAC). */
  readonly macCompute: Cost;
  /** One MAC checked. */
  readonly macCheck: Cost;
  /** ECDSA P-256 deterministic signature (the supplier signs the Pre-Command). */
  readonly sign: Cost;
  /** ECDSA P-256 verification (the device checks the supplier's signature). */
  readonly verify: Cost;
  /** ECDH alone, for information: the cache keeps it off the per-message path. */
  readonly ecdh: Cost;
}

/** How many of each unit one SR needs (DCC.md §2 flows; message counts checked against the trace). */
export const SR_RECIPES: Readonly<
  Record<SrKind, Readonly<Record<Exclude<keyof UnitCosts, 'ecdh'>, number>>>
> = {
  // SR → DCC; I99 → user; command → device; response → DCC; I0 → user.
  read: { brokerMessage: 5, envelope: 5, gbcsPayload: 2, macCompute: 2, macCheck: 2, sign: 0, verify: 0 },
  // CV 4 → DCC; I0 + Pre-Command → user; CV 5 → DCC; I99 → user; command → device; response → DCC; I0 → user.
  critical: { brokerMessage: 7, envelope: 7, gbcsPayload: 2, macCompute: 1, macCheck: 1, sign: 1, verify: 1 },
};

/** Seconds one SR needs at least, by the wall clock or by CPU time. */
export function secondsPerSr(kind: SrKind, costs: UnitCosts, clock: keyof Cost = 'wall'): number {
  const recipe = SR_RECIPES[kind];
  return (Object.keys(recipe) as (keyof typeof recipe)[]).reduce(
    (sum, unit) => sum + recipe[unit] * costs[unit][clock],
    0,
  );
}

export async function measureUnitCosts(options: {
  brokerMessages: number;
  calls: number;
}): Promise<UnitCosts> {
  const brokerMessage = await measureBrokerMessage(options.brokerMessages);
  const supplier = partyByName('supplier-a').eui;
  const device = fleetEui(1);
  const acb = deriveKeyPair('limit', 'acb/ka');
  const deviceKa = deriveKeyPair('limit', 'device/ka');
  const supplierDs = deriveKeyPair('limit', 'supplier/ds');
  const secrets = new SharedSecretCache();

  const command: GbcsPayload = {
    cra: 1,
    originator: euiToBytes(supplier),
    recipient: euiToBytes(device),
    counter: 1_000_123,
    dateTime: 1_767_571_200,
    messageCode: '11.2',
    body: {},
  };
  const commandBytes = encodeGbcsPayload(command);
  const context = { originator: supplier, recipient: device, kind: 'command' as const, counter: 1_000_123n };
  const mac = macFor(acb.privateKey, deviceKa.publicKey, context, commandBytes, secrets);
  const signature = signDeterministic(commandBytes, supplierDs.privateKey);

  // The envelopes of one 11.2 and one 8.1.1, as the parties send them.
  const requestId = `${supplier}:${device}:1000123`;
  const samples: Envelope[] = [
    {
      kind: 'serviceRequest',
      message: {
        requestId,
        commandVariant: 1,
        serviceReference: '11.2',
        serviceReferenceVariant: '11.2',
        body: {},
      },
    },
    {
      kind: 'serviceResponse',
      message: {
        responseId: `${requestId}:r`,
        requestId,
        serviceReferenceVariant: '11.2',
        responseCode: 'I99',
      },
    },
    { kind: 'gbcs', message: { payload: commandBytes, mac } },
    { kind: 'gbcs', message: { payload: commandBytes, signature } },
    {
      kind: 'serviceResponse',
      message: {
        responseId: `${requestId}:r`,
        requestId,
        serviceReferenceVariant: '11.2',
        responseCode: 'I0',
        body: { status: 'success', firmwareVersion: '3.2.0' },
      },
    },
    {
      kind: 'serviceRequest',
      message: {
        requestId,
        commandVariant: 5,
        serviceReference: '8.1',
        serviceReferenceVariant: '8.1.1',
        body: {},
        preCommand: commandBytes,
        signature,
      },
    },
  ];
  const envelope = costPerCall(
    (i) => decodeEnvelope(encodeEnvelope(samples[i % samples.length] as Envelope)),
    options.calls,
  );
  const gbcsPayload = costPerCall(() => decodeGbcsPayload(encodeGbcsPayload(command)), options.calls);
  const macCompute = costPerCall(
    (i) =>
      macFor(acb.privateKey, deviceKa.publicKey, { ...context, counter: BigInt(i) }, commandBytes, secrets),
    options.calls,
  );
  const macCheck = costPerCall(
    () => checkMac(deviceKa.privateKey, acb.publicKey, context, commandBytes, mac, secrets),
    options.calls,
  );
  const sign = costPerCall(
    (i) => {
      commandBytes[commandBytes.length - 1] = i & 0xff; // a new message each time, as in a run
      return signDeterministic(commandBytes, supplierDs.privateKey);
    },
    Math.ceil(options.calls / 4),
  );
  const verify = costPerCall(
    () => verifySignature(commandBytes, signature, supplierDs.publicKey),
    Math.ceil(options.calls / 4),
  );
  const ecdh = costPerCall(
    () => ecdhSharedSecret(acb.privateKey, deviceKa.publicKey),
    Math.ceil(options.calls / 4),
  );
  return { brokerMessage, envelope, gbcsPayload, macCompute, macCheck, sign, verify, ecdh };
}

/**
 * The broker's share: a QoS 1 publisher and a subscriber on the embedded broker with the same
 * access control as a run, a 300-byte payload, 32 messages unacknowledged at most (the window
 * the SR benchmark keeps), TCP_NODELAY as the transports set it.
 */
async function measureBrokerMessage(messages: number): Promise<Cost> {
  const seed = 'bench-broker';
  const topics = new Topics(`bench-broker-${process.pid}`);
  const accessControl = new BrokerAccessControl({ seed, topics, maxPayloadBytes: MAX_MESSAGE_BYTES });
  const broker = await startEmbeddedBroker({ accessControl });
  const user = { role: 'user' as const, eui: partyByName('supplier-a').eui as Eui };
  const dcc = { role: 'dcc' as const };
  const connect = async (principal: typeof user | typeof dcc) => {
    const client = await mqtt.connectAsync(broker.url, {
      clientId: brokerClientId(topics.namespace, principal),
      ...deriveBrokerCredentials(seed, principal),
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    return client;
  };
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
      await Promise.all(Array.from({ length: 32 }, lane));
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
