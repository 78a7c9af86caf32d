import { describe, expect, it } from 'vitest';
import { ObservedDevice } from '../../../../harness/dut/observed-device.js';
import { euiToBytes } from '../../../../simulator/domain/eui.js';
import { DEVICE_EUI, newTestDevice, SUPPLIER } from '../../../support/device-fixture.js';
import { unprotectedApdu } from '../../../support/gbcs-frames.js';

/**
 * The evidence binds an application to the firmware image a device under test ran (TRIALS.md
 * "Device Models"): the harness cannot read a real device's memory, so the image is the one an
 * 11.3 named once the device answered that 11.3 with success.
 */
const HASH = 'a1'.repeat(32);
const T = 1_800_000_000;

function activate(counter: number, body: Record<string, unknown>) {
  return unprotectedApdu({
    cra: 1,
    originator: euiToBytes(SUPPLIER.eui),
    recipient: euiToBytes(DEVICE_EUI),
    counter,
    dateTime: T,
    messageCode: '11.3',
    body,
  });
}
function answer(counter: number, status: string) {
  return unprotectedApdu({
    cra: 2,
    originator: euiToBytes(DEVICE_EUI),
    recipient: euiToBytes(SUPPLIER.eui),
    counter,
    inResponseTo: counter,
    dateTime: T,
    messageCode: '11.3',
    body: { status, firmwareVersion: '1.0.0' },
  });
}

describe('the running image of a device under test, as its messages show it', () => {
  it('an 11.3 answered with success shows the image it named', () => {
    const observed = new ObservedDevice(newTestDevice());
    observed.sawCommand(activate(7, { imageHash: Buffer.from(HASH, 'hex') }));
    expect(observed.imageHashShown).toBeUndefined();
    observed.sawDeviceMessage(answer(7, 'success'));
    expect(observed.imageHashShown).toBe(HASH);
    expect(observed.state.firmware.runningImageHash).toBe(HASH);
  });

  it('an 11.3 refused, or answered only with commandAccepted (future-dated), shows nothing; a reset forgets it', () => {
    const observed = new ObservedDevice(newTestDevice());
    observed.sawCommand(activate(8, { imageHash: Buffer.from(HASH, 'hex') }));
    observed.sawDeviceMessage(answer(8, 'hashMismatch'));
    observed.sawCommand(
      activate(9, { imageHash: Buffer.from(HASH, 'hex'), executionDateTime: '2030-01-01T02:00:00Z' }),
    );
    observed.sawDeviceMessage(answer(9, 'success'));
    expect(observed.imageHashShown).toBeUndefined();
    observed.sawCommand(activate(10, { imageHash: Buffer.from(HASH, 'hex') }));
    observed.sawDeviceMessage(answer(10, 'success'));
    observed.reset(newTestDevice());
    expect(observed.imageHashShown).toBeUndefined();
  });
});
