import { describe, expect, it } from 'vitest';
import { notApplicableReason, stepCredit } from '../../../../harness/dut/step-credit.js';

const duts = new Set(['esme1']);

describe('a scenario a device under test cannot take is not applicable, with the reason', () => {
  it("cutting the device under test's power, skewing its clock, or a fault on the link from it", () => {
    expect(notApplicableReason([{ advance: '1h' }, { power: { device: 'esme1', state: 'off' } }], duts)).toBe(
      "step 2 cuts esme1's power: only a simulated device can take that (no power control in PROTOCOL.md §8)",
    );
    expect(notApplicableReason([{ fault: { clockSkew: 'esme1', by: '5m' } }], duts)).toMatch(
      /^step 1 skews esme1's clock/,
    );
    for (const key of ['drop', 'delay', 'duplicate', 'corrupt'])
      expect(notApplicableReason([{ fault: { [key]: 'esme1 -> dcc' } }], duts), key).toMatch(
        /^step 1 puts a fault on the link from esme1/,
      );
    expect(
      notApplicableReason([{ fleet: { do: [{ power: { device: 'esme1', state: 'off' } }] } }], duts),
    ).toMatch(/^step 1: step 1 cuts esme1's power/);
  });

  it('the same steps on simulated devices, and faults on the link towards the device, leave it applicable', () => {
    expect(notApplicableReason([{ power: { device: 'esme2', state: 'off' } }], duts)).toBeUndefined();
    expect(notApplicableReason([{ fault: { clockSkew: 'chf1', by: '5m' } }], duts)).toBeUndefined();
    expect(notApplicableReason([{ fault: { drop: 'dcc -> esme1', messages: 'all' } }], duts)).toBeUndefined();
  });
});

describe('honest credit: the device under test is credited only with what its own messages decide', () => {
  it('its answers to crafted commands, its conduct and its state seen on the wire are its own', () => {
    expect(stepCredit({ inject: { device: 'esme1', command: '11.2' } }, duts)).toBe('device');
    expect(stepCredit({ expect: { conduct: { device: 'esme1' } } }, duts)).toBe('device');
    expect(stepCredit({ expect: { device: { device: 'esme1', firmwareVersion: '1.0.0' } } }, duts)).toBe(
      'device',
    );
  });

  it("a simulated device's checks and the DCC's refusals are not", () => {
    expect(stepCredit({ inject: { device: 'chf1', command: '8.9' } }, duts)).toBe('simulatedDevice');
    expect(stepCredit({ send: { srv: '8.1.1', device: 'esme1' }, expect: { response: 'E12' } }, duts)).toBe(
      'dcc',
    );
    expect(stepCredit({ expect: { smi: { device: 'esme1', status: 'Commissioned' } } }, duts)).toBe('dcc');
    expect(stepCredit({ advance: '1h' }, duts)).toBe('none');
  });

  it("an I0 behind a device service request is the device's answer; behind a non-device SR it is the DCC's", () => {
    expect(stepCredit({ send: { srv: '8.1.1', device: 'esme1' }, expect: { response: 'I0' } }, duts)).toBe(
      'device',
    );
    expect(stepCredit({ send: { srv: '12.2', device: 'esme1' }, expect: { response: 'I0' } }, duts)).toBe(
      'dcc',
    );
  });
});
