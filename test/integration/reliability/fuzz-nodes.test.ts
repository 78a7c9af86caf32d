import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimStack } from '../../../harness/stack/sim-stack.js';
import {
  brokerClientId,
  deriveBrokerCredentials,
} from '../../../simulator/adapters/mqtt/broker-access-control.js';
import { MqttTransport } from '../../../simulator/adapters/mqtt/mqtt-transport.js';
import { encodeCbor } from '../../../simulator/adapters/wire/cbor-codec.js';
import {
  cborContentCodec,
  decodeEnvelope,
  encodeEnvelope,
} from '../../../simulator/adapters/wire/envelope.js';
import { stepDevice } from '../../../simulator/domain/device/device-machine.js';
import type { DeviceState } from '../../../simulator/domain/device/device-state.js';
import { euiToBytes, parseEui } from '../../../simulator/domain/eui.js';
import { encodeMacProtected } from '../../../simulator/domain/gbcs/protection/gbcs-protect.js';
import type { GbcsFrame } from '../../../simulator/domain/messages/gbcs-messages.js';
import { commandApdu } from '../../support/device-fixture.js';
import { startTrialWorld } from '../../support/reliability/trial-world.js';
import { budget, TEST_TIMEOUT_MS } from '../../support/run-budget.js';
import { envelopeArb, gbcsApduArb, replaceSomewhere, wrongTypeArb } from '../../support/wire-arbitraries.js';

const SEED = 'fuzz-nodes';
const ROGUE_USER = parseEui('90-B3-D5-1F-30-0F-0F-0F');
const ROGUE_DEVICE = parseEui('00-12-4B-00-00-00-0F-0F');

/** Bytes a confused or hostile peer might send: noise, garbled messages, well-formed nonsense. */
const hostileBytes = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  envelopeArb.map(encodeEnvelope),
  fc.tuple(envelopeArb, fc.nat(), wrongTypeArb).map(([e, pick, wrong]) => {
    try {
      return encodeCbor(replaceSomewhere({ v: 1, kind: e.kind, message: e.message }, pick, wrong));
    } catch {
      return new Uint8Array([0xff]);
    }
  }),
  fc.tuple(envelopeArb, fc.nat()).map(([e, cut]) => {
    const b = encodeEnvelope(e);
    return b.subarray(0, cut % b.length);
  }),
  gbcsApduArb,
  fc.tuple(gbcsApduArb, fc.nat()).map(([b, cut]) => b.subarray(0, cut % b.length)),
);

/** What a hostile message must never change at the DCC. */
function dccSnapshot(stack: SimStack): string {
  const s = stack.dcc.core.state;
  return JSON.stringify({
    smi: [...s.smi.values()].map((r) => [r.deviceId, r.status, r.supplier, r.trialId, r.history.length]),
    users: [...s.users.values()].map((u) => [u.eui, u.lastCounter, u.status]),
    pending: s.pending.size,
    transforms: s.transforms.size,
    trials: [...s.trials.values()].map((t) => [t.trialId, t.commissioned.length, t.reserved.size]),
  });
}

describe('DCC node fed hostile bytes over the real broker', () => {
  let stack: SimStack;
  let rogueUser: MqttTransport;
  let rogueDevice: MqttTransport;
  beforeAll(async () => {
    stack = await startTrialWorld(SEED);
    const login = (principal: Parameters<typeof brokerClientId>[1]) =>
      MqttTransport.connect({
        url: stack.brokerUrl,
        clientId: brokerClientId(stack.topics.namespace, principal),
        ...deriveBrokerCredentials(SEED, principal),
        // Counted like any party's messages, so settle() waits until the DCC has handled them.
        tracker: stack.tracker,
      });
    rogueUser = await login({ role: 'user', eui: ROGUE_USER });
    rogueDevice = await login({ role: 'device', eui: ROGUE_DEVICE });
  }, TEST_TIMEOUT_MS);
  afterAll(async () => {
    await rogueUser?.close();
    await rogueDevice?.close();
    await stack?.stop();
  });

  it(
    'WIRE-MALFORMED - nothing a stranger sends crashes the DCC or changes its state; each SR gets one outcome',
    async () => {
      const before = dccSnapshot(stack);
      await fc.assert(
        fc.asyncProperty(fc.array(hostileBytes, { minLength: 1, maxLength: 8 }), async (batch) => {
          const outcomesBefore = stack.dcc.core.state.outcomes.length;
          const traced = stack.trace.length;
          let requests = 0;
          for (const [i, bytes] of batch.entries()) {
            if (i % 2 === 0) {
              if (isServiceRequest(bytes)) requests++;
              await rogueUser.publish(stack.topics.dccIn(ROGUE_USER), bytes);
            } else {
              await rogueDevice.publish(stack.topics.wanUp(ROGUE_DEVICE), bytes);
            }
          }
          await stack.settle();
          expect(dccSnapshot(stack)).toBe(before);
          // Every well-formed service request from the stranger is refused with one recorded outcome.
          const added = stack.dcc.core.state.outcomes.slice(outcomesBefore);
          expect(added).toHaveLength(requests);
          for (const outcome of added) expect(outcome.outcome).toMatch(/^E\d+$/);
          // And every message is accounted for in the trace (decoded, malformed or a notice).
          expect(stack.trace.length).toBeGreaterThanOrEqual(traced + batch.length);
        }),
        budget(25),
      );
      // The DCC still serves its real users.
      const read = stack
        .user('supplier-a')
        .request({ srv: '8.2', body: { deviceId: stack.deviceSpec('chf1').eui } });
      const outcome = await read.final;
      expect(outcome.kind === 'response' && outcome.response.responseCode).toBe('I0');
    },
    TEST_TIMEOUT_MS,
  );
});

function isServiceRequest(bytes: Uint8Array): boolean {
  try {
    return decodeEnvelope(bytes).kind === 'serviceRequest';
  } catch {
    return false;
  }
}

describe('device machine fed hostile and corrupted frames', () => {
  let stack: SimStack;
  let device: DeviceState;
  let genuine: GbcsFrame;
  beforeAll(async () => {
    stack = await startTrialWorld(`${SEED}-device`);
    device = stack.device('chf1').state;
    const acb = stack.pki.organisation('acb');
    const supplier = stack.pki.organisation('supplier-a');
    const command = commandApdu({
      cra: 1,
      originator: euiToBytes(supplier.eui),
      recipient: euiToBytes(device.identity.eui),
      counter: 7,
      dateTime: Math.floor(stack.clock.now() / 1000),
      messageCode: '11.2',
      body: {},
    });
    const keys = {
      ownKaPrivateKey: acb.ka.keys.privateKey,
      peerKaPublicKey: stack.pki.device(device.identity.eui).ka.keys.publicKey,
    };
    genuine = { apdu: encodeMacProtected(command, keys) };
  }, TEST_TIMEOUT_MS);
  afterAll(async () => {
    await stack?.stop();
  });

  /** A rejected frame leaves everything but the security log and the device's own counter alone. */
  function unchangedButLogged(before: DeviceState, after: DeviceState): void {
    expect({ ...after, securityLog: [], ownCounter: 0 }).toEqual({
      ...before,
      securityLog: [],
      ownCounter: 0,
    });
    expect(after.securityLog.length).toBeGreaterThanOrEqual(Math.min(before.securityLog.length + 1, 100));
  }

  it('the genuine command executes (so the properties below can fail)', () => {
    const step = stepDevice(
      device,
      { type: 'frame', frame: genuine, now: stack.clock.now() },
      { codec: cborContentCodec },
    );
    expect(step.outcome).toBe('executed');
  });

  it('0x8F1E/0x8F3D - a corrupted command never executes and changes nothing but the security log', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }),
        (flips) => {
          // Anywhere in the APDU: header, content or MAC.
          const bytes = Uint8Array.from(genuine.apdu);
          for (const [at, mask] of flips) {
            const i = at % bytes.length;
            bytes[i] = (bytes[i] as number) ^ mask;
          }
          if (Buffer.from(bytes).equals(Buffer.from(genuine.apdu))) return; // flips cancelled out
          const step = stepDevice(
            device,
            { type: 'frame', frame: { apdu: bytes }, now: 0 },
            { codec: cborContentCodec },
          );
          expect(step.outcome).toMatch(/^0x8F(1E|3D|30|3E)$/);
          unchangedButLogged(device, step.state);
        },
      ),
      budget(300),
    );
  });

  it('0x8F1E - random bytes and well-formed GBCS APDUs with forged fields or MACs are rejected without effect', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          gbcsApduArb,
          fc.tuple(gbcsApduArb, fc.nat()).map(([b, cut]) => b.subarray(0, cut % b.length)),
        ),
        (apdu) => {
          const frame: GbcsFrame = { apdu };
          const step = stepDevice(device, { type: 'frame', frame, now: 0 }, { codec: cborContentCodec });
          expect(step.outcome).not.toBe('executed');
          unchangedButLogged(device, step.state);
        },
      ),
      budget(300),
    );
  });
});
