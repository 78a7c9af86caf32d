import { describe, expect, it } from 'vitest';
import {
  type DeviceEvent,
  type DeviceStep,
  stepDevice,
} from '../../../../../simulator/domain/device/device-machine.js';
import type { DeviceState } from '../../../../../simulator/domain/device/device-state.js';
import { euiFromBytes } from '../../../../../simulator/domain/eui.js';
import {
  ACB,
  env,
  IMAGES,
  macedFrame,
  newTestDevice,
  payloadFor,
  START,
  SUPPLIER,
  sentPayloads,
  sentProtection,
  signedFrame,
  type TestImage,
} from '../../../../support/device-fixture.js';

let counter = 100;
function distribute(state: DeviceState, image: TestImage | Uint8Array, now = START): DeviceStep {
  const bytes = image instanceof Uint8Array ? image : image.bytes;
  const payload = payloadFor(SUPPLIER, '11.1', ++counter, { image: bytes, firmwareVersion: '1.0.0' }, now);
  return stepDevice(state, { type: 'frame', frame: macedFrame(payload), now }, env);
}
function activate(state: DeviceState, hash: Uint8Array, now = START, executionDateTime?: string): DeviceStep {
  const body: Record<string, unknown> = { imageHash: hash };
  if (executionDateTime !== undefined) body.executionDateTime = executionDateTime;
  const payload = payloadFor(SUPPLIER, '11.3', ++counter, body, now);
  return stepDevice(state, { type: 'frame', frame: signedFrame(payload, SUPPLIER), now }, env);
}
function read(state: DeviceState, srv: string, body: Record<string, unknown> = {}, now = START): DeviceStep {
  return stepDevice(
    state,
    { type: 'frame', frame: macedFrame(payloadFor(SUPPLIER, srv, ++counter, body, now)), now },
    env,
  );
}
function codes(step: DeviceStep): string[] {
  return sentPayloads(step).map((p) => (p.cra === 3 ? p.messageCode : `response ${String(p.body.status)}`));
}
function timers(step: DeviceStep): Extract<DeviceEvent, { type: 'timer' }>['timer'][] {
  return step.effects.flatMap((e) => (e.type === 'schedule' ? [e.timer] : []));
}
function scheduledAt(step: DeviceStep): number[] {
  return step.effects.flatMap((e) => (e.type === 'schedule' ? [e.at] : []));
}

describe('11.1 transfer outcomes (DCC.md §10 step 1)', () => {
  it('0 success - a verified image is held and 0x8F8A answers the command', () => {
    const step = distribute(newTestDevice(), IMAGES.v100);
    const [alert] = sentPayloads(step);
    expect(alert?.messageCode).toBe('0x8F8A');
    // GBCS: the transfer outcome travels as CCS08 (0x0128) to the ACB, device-signed, with the
    // device's own alert counter, not the command's (the DCC matches it to its oldest open command).
    expect(alert?.useCase).toBe('0x0128');
    expect(euiFromBytes(alert?.recipient as Uint8Array)).toBe(ACB.eui);
    expect(sentProtection(step)).toEqual(['signed']);
    expect(alert?.body.transferOutcome).toBe(0);
    expect(step.state.firmware.held?.hash).toBe(IMAGES.v100.hash);
  });

  it('1 discarded - an image not signed by the manufacturer; 0x8F1C in the security log', () => {
    const step = distribute(newTestDevice(), IMAGES.forged);
    expect(codes(step)).toEqual(['0x8F89']);
    expect(sentPayloads(step)[0]?.body.transferOutcome).toBe(1);
    expect(step.state.firmware.held).toBeUndefined();
    expect(step.state.securityLog.map((e) => e.code)).toContain('0x8F1C');
  });

  it('1 discarded - an image of another image type, or not an image at all', () => {
    expect(sentPayloads(distribute(newTestDevice(), IMAGES.otherType))[0]?.body.transferOutcome).toBe(1);
    expect(sentPayloads(distribute(newTestDevice(), new Uint8Array(300)))[0]?.body.transferOutcome).toBe(1);
  });

  it('2 hardware version mismatch - the header does not name the device hardware', () => {
    const step = distribute(newTestDevice(), IMAGES.hw11);
    expect(sentPayloads(step)[0]?.body.transferOutcome).toBe(2);
    expect(step.state.firmware.held).toBeUndefined();
  });

  it('3 failure - the image is larger than the device can store', () => {
    const step = distribute(newTestDevice({ maxImageBytes: 100 }), IMAGES.v100);
    expect(sentPayloads(step)[0]?.body.transferOutcome).toBe(3);
  });
});

describe('11.3 immediate activation (DCC.md §10 step 2)', () => {
  it('noImageHeld when nothing was distributed', () => {
    const step = activate(newTestDevice(), IMAGES.v100.hashBytes);
    expect(sentPayloads(step)[0]?.body).toMatchObject({ status: 'noImageHeld', firmwareVersion: '0.9.0' });
  });

  it('hashMismatch (0x8F1C) when the hash names another image', () => {
    const held = distribute(newTestDevice(), IMAGES.v100).state;
    const step = activate(held, IMAGES.v091.hashBytes);
    expect(codes(step)).toEqual(['response hashMismatch', '0x8F1C']);
    expect(step.state.firmwareVersion).toBe('0.9.0');
  });

  it('success: 0x8F72, bank swap, 0x8F43, and the running version in the response', () => {
    const held = distribute(newTestDevice(), IMAGES.v100).state;
    const step = activate(held, IMAGES.v100.hashBytes);
    expect(codes(step)).toEqual(['response success', '0x8F72', '0x8F43']);
    expect(sentPayloads(step)[0]?.body.firmwareVersion).toBe('1.0.0');
    expect(step.state.firmwareVersion).toBe('1.0.0');
    expect(step.state.firmware.runningImageHash).toBe(IMAGES.v100.hash);
  });

  it('activationFailure when the new firmware does not start: the old image keeps running', () => {
    const held = distribute(newTestDevice(), IMAGES.noBoot).state;
    const step = activate(held, IMAGES.noBoot.hashBytes);
    expect(sentPayloads(step)[0]?.body).toMatchObject({
      status: 'activationFailure',
      firmwareVersion: '0.9.0',
    });
    expect(step.state.firmwareVersion).toBe('0.9.0');
  });
});

describe('two-phase activation and power loss', () => {
  const slow = () => distribute(newTestDevice({ activationMs: 45_000 }), IMAGES.v100).state;

  it('a slow activation answers when phase 2 completes on its timer', () => {
    const started = activate(slow(), IMAGES.v100.hashBytes);
    expect(codes(started)).toEqual(['0x8F72']);
    expect(scheduledAt(started)).toEqual([START + 45_000]);
    expect(started.state.firmwareVersion).toBe('0.9.0');
    const [timer] = timers(started);
    const done = stepDevice(
      started.state,
      { type: 'timer', timer: timer as never, now: START + 45_000 },
      env,
    );
    expect(codes(done)).toEqual(['response success', '0x8F43']);
    expect(done.state.firmwareVersion).toBe('1.0.0');
  });

  it('a power loss between the phases leaves the old image running; the stale timer does nothing', () => {
    const started = activate(slow(), IMAGES.v100.hashBytes);
    const off = stepDevice(started.state, { type: 'power', on: false, now: START + 10_000 }, env);
    expect(off.state.firmwareVersion).toBe('0.9.0');
    expect(off.state.firmware.activation).toBeUndefined();
    const [timer] = timers(started);
    const fired = stepDevice(off.state, { type: 'timer', timer: timer as never, now: START + 45_000 }, env);
    expect(fired.outcome).toBe('staleTimer');
    const on = stepDevice(fired.state, { type: 'power', on: true, now: START + 60_000 }, env);
    expect(on.state.firmwareVersion).toBe('0.9.0');
    expect(on.state.firmware.runningImageHash).toBeUndefined();
    expect(on.state.eventLog.map((e) => e.code)).toContain('activationInterrupted');
    // The held image survives: the activation can be repeated.
    const again = activate(on.state, IMAGES.v100.hashBytes, START + 61_000);
    expect(again.state.firmware.activation?.image.hash).toBe(IMAGES.v100.hash);
  });

  it('while powered off, commands are not heard: no state change, no answer', () => {
    const off = stepDevice(newTestDevice(), { type: 'power', on: false, now: START }, env).state;
    const step = read(off, '11.2');
    expect(step.outcome).toBe('powerOff');
    expect(step.state).toBe(off);
    expect(step.effects).toEqual([]);
  });
});

describe('future-dated 11.3 (DCC.md §10 step 2)', () => {
  const at = '2027-01-05T02:00:00Z';
  it('is stored and answered commandAccepted, then activates on its timer with 0x8F66', () => {
    const held = distribute(newTestDevice(), IMAGES.v100).state;
    const stored = activate(held, IMAGES.v100.hashBytes, START, at);
    expect(sentPayloads(stored)[0]?.body.status).toBe('commandAccepted');
    expect(scheduledAt(stored)).toEqual([Date.parse(at)]);
    expect(stored.state.firmwareVersion).toBe('0.9.0');
    const [timer] = timers(stored);
    const due = stepDevice(stored.state, { type: 'timer', timer: timer as never, now: Date.parse(at) }, env);
    expect(codes(due)).toEqual(['0x8F72', '0x8F43', '0x8F66']);
    // GBCS.md §7.7: the outcome travels in 0x00CA naming the future-dated command's counter and
    // when it ran, with the ExecutionOutcome the immediate response would have given.
    expect(sentPayloads(due).at(-1)).toMatchObject({ useCase: '0x00CA' });
    expect(sentPayloads(due).at(-1)?.body).toEqual({
      status: 'success',
      firmwareVersion: '1.0.0',
      commandCounter: counter,
      executionDateTime: new Date(at).toISOString(),
    });
    expect(due.state.firmwareVersion).toBe('1.0.0');
  });

  it('fails with 0x8F67 when the image is not held when due', () => {
    const stored = activate(newTestDevice(), IMAGES.v100.hashBytes, START, at);
    const [timer] = timers(stored);
    const due = stepDevice(stored.state, { type: 'timer', timer: timer as never, now: Date.parse(at) }, env);
    expect(codes(due)).toEqual(['0x8F67']);
    expect(sentPayloads(due)[0]?.body).toMatchObject({ status: 'noImageHeld', commandCounter: counter });
  });

  it('falls due while powered off and runs when power returns', () => {
    const held = distribute(newTestDevice(), IMAGES.v100).state;
    const stored = activate(held, IMAGES.v100.hashBytes, START, at);
    const off = stepDevice(stored.state, { type: 'power', on: false, now: START + 1000 }, env);
    const [timer] = timers(stored);
    const missed = stepDevice(off.state, { type: 'timer', timer: timer as never, now: Date.parse(at) }, env);
    expect(missed.state.firmwareVersion).toBe('0.9.0');
    const on = stepDevice(missed.state, { type: 'power', on: true, now: Date.parse(at) + 3_600_000 }, env);
    expect(on.state.firmwareVersion).toBe('1.0.0');
    expect(codes(on)).toContain('0x8F66');
  });
});

describe('logs and decommissioning', () => {
  it('6.13 reads the event log and the security log', () => {
    const rejected = distribute(newTestDevice(), IMAGES.forged).state;
    const events = sentPayloads(read(rejected, '6.13', { log: 'event' }))[0]?.body.log as { code: string }[];
    const security = sentPayloads(read(rejected, '6.13', { log: 'security' }))[0]?.body.log as {
      code: string;
    }[];
    expect(events.map((e) => e.code)).toContain('0x8F89');
    expect(security.map((e) => e.code)).toContain('0x8F1C');
  });

  it('8.9 reads the CHF device log that 8.11 maintains', () => {
    const chf = { ...newTestDevice(), identity: { ...newTestDevice().identity, deviceType: 'CHF' as const } };
    const added = read(chf, '8.11', { action: 'add', deviceId: '00-12-4B-00-00-00-01-02' }).state;
    const log = sentPayloads(read(added, '8.9'))[0]?.body.deviceLog;
    expect(log).toEqual(['00-12-4B-00-00-00-01-02']);
  });

  it('8.3 - after the DCC notice a decommissioned device refuses operational commands', () => {
    const decommissioned = read(newTestDevice(), '8.3').state;
    expect(decommissioned.lifecycle).toBe('decommissioned');
    for (const srv of ['11.2', '4.1.1', '6.13']) {
      expect(sentPayloads(read(decommissioned, srv))[0]?.body).toMatchObject({ status: 'failure' });
    }
    const held = decommissioned;
    const step = activate(held, IMAGES.v100.hashBytes);
    // CS06's ExecutionOutcome has no plain failure: a refused activation is activationFailure (3).
    expect(sentPayloads(step)[0]?.body.status).toBe('activationFailure');
    expect(step.state.firmwareVersion).toBe('0.9.0');
  });

  it('4.1.1 registers advance with virtual time', () => {
    const step = read(newTestDevice(), '4.1.1', {}, START + 86_400_000);
    expect(sentPayloads(step)[0]?.body.importRegisterWh).toBe(9600);
  });
});

describe('Type 2 devices (DCC.md §4, §6)', () => {
  it('a device with no trust anchors takes no command and raises no alert', () => {
    const ihd = { ...newTestDevice(), trustAnchors: [] };
    const step = read(ihd, '11.2');
    expect(step.outcome).toBe('0x8F3D');
    expect(step.effects).toEqual([]);
  });
});
