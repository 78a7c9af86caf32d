import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEVICE_REJECTIONS,
  type DeviceEvent,
  type DeviceStep,
  stepDevice,
} from '../../../../../simulator/domain/device/device-machine.js';
import type { DeviceTimer } from '../../../../../simulator/domain/device/device-output.js';
import type { DeviceState } from '../../../../../simulator/domain/device/device-state.js';
import { decodeGbcsMessage } from '../../../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import type { GbcsFrame } from '../../../../../simulator/domain/messages/gbcs-messages.js';
import { deviceExecution } from '../../../../../simulator/domain/services/service-catalogue.js';
import {
  ACB,
  env,
  IMAGES,
  macedFrame,
  NETWORK_OPERATOR,
  newTestDevice,
  type Party,
  payloadFor,
  START,
  STRANGER,
  SUPPLIER,
  signedFrame,
} from '../../../../support/device-fixture.js';

/**
 * Invariants of the device state machine (simulator/PROTOCOL.md), over random sequences of
 * commands from every kind of party with every kind of protection, interleaved with power cuts
 * and the passing of virtual time (which fires the device's own timers).
 */
const SENDERS = {
  supplier: SUPPLIER,
  networkOperator: NETWORK_OPERATOR,
  stranger: STRANGER,
  acb: ACB,
} as const;
type SenderName = keyof typeof SENDERS;
const PROTECTIONS = ['valid', 'valid', 'valid', 'corrupt', 'wrongKey', 'none'] as const;
type Protection = (typeof PROTECTIONS)[number];
type ImageName = keyof typeof IMAGES;
const IMAGE_NAMES = Object.keys(IMAGES) as ImageName[];
const CRITICAL = new Set(['8.1.1', '11.3']);

type Action =
  | {
      readonly kind: 'command';
      readonly sender: SenderName;
      readonly srv: string;
      /** 'next': above every counter used so far; a number: likely a replay or an old counter. */
      readonly counter: number | 'next';
      readonly protection: Protection;
      readonly image: ImageName;
      readonly futureMs: number | undefined;
    }
  | { readonly kind: 'power'; readonly on: boolean }
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'garbage'; readonly bytes: Uint8Array };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('command' as const),
      sender: fc.constantFrom<SenderName>('supplier', 'supplier', 'networkOperator', 'stranger', 'acb'),
      srv: fc.constantFrom(
        ...['11.1', '11.3'].flatMap((s) => [s, s, s, s]),
        '11.2',
        '4.1.1',
        '6.13',
        '8.1.1',
        '8.3',
      ),
      counter: fc.oneof(
        { weight: 4, arbitrary: fc.constant('next' as const) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 40 }) },
      ),
      protection: fc.constantFrom(...PROTECTIONS),
      image: fc.oneof(
        { weight: 3, arbitrary: fc.constant<ImageName>('v100') },
        fc.constantFrom(...IMAGE_NAMES),
      ),
      futureMs: fc.option(fc.integer({ min: 1, max: 120_000 }), { nil: undefined, freq: 2 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('power' as const), on: fc.constantFrom(true, true, false) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 90_000 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('garbage' as const), bytes: fc.uint8Array({ maxLength: 40 }) }),
  },
);

function frameFor(action: Extract<Action, { kind: 'command' }>, counter: number, now: number): GbcsFrame {
  const sender: Party = SENDERS[action.sender];
  const image = IMAGES[action.image];
  const body: Record<string, unknown> =
    action.srv === '11.1'
      ? { image: image.bytes, firmwareVersion: image.version }
      : action.srv === '11.3'
        ? {
            imageHash: image.hashBytes,
            ...(action.futureMs === undefined
              ? {}
              : { executionDateTime: new Date(now + action.futureMs).toISOString() }),
          }
        : action.srv === '6.13'
          ? { log: 'security' }
          : {};
  const payload = payloadFor(sender, action.srv, counter, body, now);
  const critical = CRITICAL.has(action.srv);
  let frame = critical ? signedFrame(payload, sender) : macedFrame(payload);
  if (action.protection === 'wrongKey')
    frame = critical ? signedFrame(payload, STRANGER) : macedFrame(payload, STRANGER);
  // No protection: the general-signing APDU without the ACB's MAC header.
  if (action.protection === 'none') frame = { apdu: decodeGbcsMessage(frame.apdu).generalSigningBytes };
  if (action.protection === 'corrupt') {
    // One bit of the MAC (the last 12 bytes), which covers the signature too.
    const at = frame.apdu.length - 3;
    frame = { apdu: Uint8Array.from(frame.apdu, (b, i) => (i === at ? b ^ 0x40 : b)) };
  }
  return frame;
}

const REJECTIONS = new Set<string>(Object.values(DEVICE_REJECTIONS));

interface Model {
  now: number;
  timers: { at: number; timer: DeviceTimer }[];
  lastAccepted: Map<SenderName, number>;
  accepted: Set<string>;
  /** Hashes of images the device verified and held at some point (executed 11.1 of a good image). */
  transferred: Set<string>;
  /** Hashes named by an executed, supplier-signed 11.3. */
  activationsAsked: Set<string>;
}

const GOOD = new Map(
  Object.values(IMAGES)
    .filter((i) => i.good)
    .map((i) => [i.hash, i]),
);

/** Checks one step against the invariants; `action` is undefined for timer steps. */
function check(
  model: Model,
  before: DeviceState,
  step: DeviceStep,
  action: Action | { kind: 'timer' },
  counter: number,
): void {
  const after = step.state;
  if (step.outcome === 'executed') {
    // Only an authentic command from a party with a trust anchor and authority is ever accepted.
    expect(action.kind).toBe('command');
    if (action.kind !== 'command') return;
    expect(action.sender).not.toBe('stranger');
    expect(action.protection).toBe('valid');
    expect(deviceExecution(action.srv)?.authority).toContain(SENDERS[action.sender].role);
    // No counter is accepted twice, and each is above the last accepted from that party.
    const key = `${action.sender}:${counter}`;
    expect(model.accepted.has(key)).toBe(false);
    expect(counter).toBeGreaterThan(model.lastAccepted.get(action.sender) ?? -1);
    model.accepted.add(key);
    model.lastAccepted.set(action.sender, counter);
    const image = IMAGES[action.image];
    if (action.srv === '11.1' && image.good && before.lifecycle !== 'decommissioned')
      model.transferred.add(image.hash);
    if (action.srv === '11.3') model.activationsAsked.add(image.hash);
  }
  if (REJECTIONS.has(step.outcome) || step.outcome === 'powerOff') {
    // A rejected command changes nothing but the security log (and the device's own counter
    // for the alert it raises); while off, nothing at all.
    if (step.outcome === 'powerOff') expect(after).toBe(before);
    for (const key of Object.keys(before) as (keyof DeviceState)[]) {
      if (key === 'securityLog' || key === 'ownCounter') continue;
      expect(Object.is(after[key], before[key]), `${key} changed on ${step.outcome}`).toBe(true);
    }
    if (step.outcome !== 'powerOff') expect(after.securityLog.at(-1)?.code).toBe(step.outcome);
  }
  if (
    after.firmwareVersion !== before.firmwareVersion ||
    after.firmware.runningImageHash !== before.firmware.runningImageHash
  ) {
    // The running firmware changes only to a verified image that a signed 11.3 named.
    const hash = after.firmware.runningImageHash as string;
    const image = GOOD.get(hash);
    expect(image, 'running image is a genuine, applicable image').toBeDefined();
    expect(after.firmwareVersion).toBe(image?.version);
    expect(model.transferred.has(hash)).toBe(true);
    expect(model.activationsAsked.has(hash)).toBe(true);
    expect(['executed', 'activationComplete', 'futureDatedActivation', 'powerRestored']).toContain(
      step.outcome,
    );
  }
  for (const effect of step.effects)
    if (effect.type === 'schedule') model.timers.push({ at: effect.at, timer: effect.timer });
}

/** Counts what the runs exercised, so a test that stopped reaching its cases would show it. */
const seen = new Map<string, number>();

function run(activationMs: number, actions: readonly Action[]): void {
  let state = newTestDevice({ activationMs });
  let nextCounter = 41;
  const model: Model = {
    now: START,
    timers: [],
    lastAccepted: new Map(),
    accepted: new Set(),
    transferred: new Set(),
    activationsAsked: new Set(),
  };
  const apply = (event: DeviceEvent, action: Action | { kind: 'timer' }, counter = -1) => {
    const step = stepDevice(state, event, env);
    check(model, state, step, action, counter);
    seen.set(step.outcome, (seen.get(step.outcome) ?? 0) + 1);
    if (step.state.firmwareVersion !== state.firmwareVersion)
      seen.set('firmwareChanged', (seen.get('firmwareChanged') ?? 0) + 1);
    state = step.state;
  };
  for (const action of actions) {
    switch (action.kind) {
      case 'command': {
        const counter = action.counter === 'next' ? nextCounter++ : action.counter;
        apply(
          { type: 'frame', frame: frameFor(action, counter, model.now), now: model.now },
          action,
          counter,
        );
        break;
      }
      case 'garbage':
        apply({ type: 'frame', frame: { apdu: action.bytes }, now: model.now }, action);
        break;
      case 'power':
        apply({ type: 'power', on: action.on, now: model.now }, action);
        break;
      case 'advance': {
        model.now += action.ms;
        model.timers.sort((a, b) => a.at - b.at);
        while (model.timers.length > 0 && (model.timers[0]?.at ?? Infinity) <= model.now) {
          const due = model.timers.shift() as { at: number; timer: DeviceTimer };
          apply({ type: 'timer', timer: due.timer, now: due.at }, { kind: 'timer' });
        }
        break;
      }
    }
  }
}

describe('device state machine invariants (fast-check)', () => {
  it('no unauthorised or replayed command is accepted; firmware changes only by verified image + signed 11.3; rejections change nothing', () => {
    fc.assert(
      fc.property(fc.constantFrom(0, 30_000), fc.array(actionArb, { minLength: 20, maxLength: 60 }), run),
      { seed: 42, numRuns: 120 },
    );
    // The runs must have reached every kind of case, or the invariants were checked on nothing.
    for (const outcome of [
      'executed',
      'firmwareChanged',
      '0x8F3D',
      '0x8F30',
      '0x8F3E',
      '0x8F1E',
      'powerOff',
    ]) {
      expect(seen.get(outcome) ?? 0, `runs reached ${outcome}`).toBeGreaterThan(5);
    }
  });

  it('a frame of random bytes is rejected with 0x8F1E and changes nothing but the security log', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const before = newTestDevice();
        const step = stepDevice(before, { type: 'frame', frame: { apdu: bytes }, now: START }, env);
        expect(step.outcome).toBe('0x8F1E');
        expect({ ...step.state, securityLog: [], ownCounter: 0 }).toEqual({
          ...before,
          securityLog: [],
          ownCounter: 0,
        });
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('the same valid command sent twice is accepted once (0x8F3E the second time)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('11.2', '4.1.1', '6.13'),
        fc.integer({ min: 0, max: 1e9 }),
        (srv, counter) => {
          const frame = macedFrame(payloadFor(SUPPLIER, srv, counter, {}, START));
          const first = stepDevice(newTestDevice(), { type: 'frame', frame, now: START }, env);
          const second = stepDevice(first.state, { type: 'frame', frame, now: START + 1 }, env);
          expect(first.outcome).toBe('executed');
          expect(second.outcome).toBe('0x8F3E');
        },
      ),
      { seed: 42, numRuns: 50 },
    );
  });
});
