import { describe, expect, it } from 'vitest';
import { type DeviceStep, stepDevice } from '../../../../../simulator/domain/device/device-machine.js';
import type { DeviceState } from '../../../../../simulator/domain/device/device-state.js';
import { type Eui, parseEui } from '../../../../../simulator/domain/eui.js';
import {
  env,
  macedFrame,
  newTestDevice,
  payloadFor,
  START,
  SUPPLIER,
  sentPayloads,
} from '../../../../support/device-fixture.js';

/** The GBCS limit trialsim holds a device's answer to: 64 KB, well under the broker's message limit. */
const ANSWER_LIMIT_BYTES = 64 * 1024;

function hub(logged: number): DeviceState {
  const base = newTestDevice();
  const deviceLog = Array.from({ length: logged }, (_, i) =>
    parseEui((0x0012_4b00_0010_0001 + i).toString(16).padStart(16, '0')),
  ) as Eui[];
  return { ...base, identity: { ...base.identity, deviceType: 'CHF' as const }, deviceLog };
}

function add(state: DeviceState, deviceId: string): DeviceStep {
  const payload = payloadFor(SUPPLIER, '8.11', 200, { action: 'add', deviceId }, START);
  return stepDevice(state, { type: 'frame', frame: macedFrame(payload), now: START }, env);
}

function answerBytes(step: DeviceStep): number {
  const sent = step.effects.flatMap((e) => (e.type === 'send' ? [e.frame.apdu.length] : []));
  expect(sent).toHaveLength(1);
  return sent[0] as number;
}

describe('8.11 Update HAN Device Log: the comms hub’s answer fits a message whatever its log holds', () => {
  it('a hub with 5,000 devices in its log answers an add in as many bytes as a hub with 1,000', () => {
    const smaller = add(hub(1_000), '00-12-4B-00-00-30-00-01');
    const full = add(hub(5_000), '00-12-4B-00-00-30-00-01');
    expect(answerBytes(full)).toBe(answerBytes(smaller));
    expect(answerBytes(full)).toBeLessThan(ANSWER_LIMIT_BYTES);
    // The log itself did grow: the answer says which device changed and how many the log holds.
    expect(full.state.deviceLog).toHaveLength(5_001);
    expect(sentPayloads(full)[0]?.body).toEqual({
      status: 'success',
      deviceId: '00-12-4B-00-00-30-00-01',
      deviceLogEntries: 5_001,
    });
  });

  it('a remove answers the same way and takes the device out of the log', () => {
    const state = hub(3_000);
    const gone = state.deviceLog[10] as string;
    const step = stepDevice(
      state,
      {
        type: 'frame',
        frame: macedFrame(payloadFor(SUPPLIER, '8.11', 201, { action: 'remove', deviceId: gone }, START)),
        now: START,
      },
      env,
    );
    expect(step.state.deviceLog).not.toContain(gone);
    expect(sentPayloads(step)[0]?.body).toEqual({
      status: 'success',
      deviceId: gone,
      deviceLogEntries: 2_999,
    });
  });
});
