import { describe, expect, it } from 'vitest';
import { type DeviceStep, stepDevice } from '../../../../../simulator/domain/device/device-machine.js';
import type { DeviceState } from '../../../../../simulator/domain/device/device-state.js';
import { decodeGbcsMessage } from '../../../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import { decodeCs06Command } from '../../../../../simulator/domain/gbcs/payloads/asn1/cs06.js';
import { GBCS_CANCELLATION_TIME } from '../../../../../simulator/domain/gbcs/payloads/asn1/der-values.js';
import type { GbcsFrame } from '../../../../../simulator/domain/messages/gbcs-messages.js';
import {
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
} from '../../../../support/device-fixture.js';

/**
 * 11.3 cancellation on the GBCS wire (GBCS.md §7.7): a CS06 command in the future-dated form at
 * 99991231235959Z, which removes the stored future-dated activation of the image it names; the
 * device answers NULL (`05 00`, command accepted), device-signed, and the stored activation
 * never runs — so no 0x00CA follows.
 */
const AT = '2027-01-05T02:00:00Z';
const CANCEL = GBCS_CANCELLATION_TIME.toISOString();
let counter = 500;

function activateFrame(hash: Uint8Array, executionDateTime?: string): GbcsFrame {
  const body = executionDateTime === undefined ? { imageHash: hash } : { imageHash: hash, executionDateTime };
  return signedFrame(payloadFor(SUPPLIER, '11.3', ++counter, body), SUPPLIER);
}
function send(state: DeviceState, frame: GbcsFrame, now = START): DeviceStep {
  return stepDevice(state, { type: 'frame', frame, now }, env);
}
/** The content bytes of the one response a step sent, as they went on the wire. */
function responseContent(step: DeviceStep): string {
  const sent = step.effects.flatMap((e) => (e.type === 'send' ? [decodeGbcsMessage(e.frame.apdu)] : []));
  const responses = sent.filter((m) => m.apdu.cra === 'response');
  expect(responses).toHaveLength(1);
  return Buffer.from(responses[0]?.apdu.content ?? []).toString('hex');
}
function storedWithImage(): DeviceStep {
  const distributed = send(
    newTestDevice(),
    macedFrame(
      payloadFor(SUPPLIER, '11.1', ++counter, { image: IMAGES.v100.bytes, firmwareVersion: '1.0.0' }),
    ),
  );
  return send(distributed.state, activateFrame(IMAGES.v100.hashBytes, AT));
}
function fire(step: DeviceStep, state: DeviceState, now: number): DeviceStep {
  const timer = step.effects.flatMap((e) => (e.type === 'schedule' ? [e.timer] : []))[0];
  expect(timer).toBeDefined();
  return stepDevice(state, { type: 'timer', timer: timer as never, now }, env);
}

describe('CS06 cancellation of a future-dated 11.3 (GBCS.md §7.7)', () => {
  it('travels as the future-dated CS06 form at 99991231235959Z under message code 0x0012', () => {
    const frame = activateFrame(IMAGES.v100.hashBytes, CANCEL);
    const { apdu, contentOffset } = decodeGbcsMessage(frame.apdu);
    expect(apdu.otherInformation.messageCode).toBe(0x0012);
    expect(Buffer.from(apdu.content).toString('latin1')).toContain('99991231235959Z');
    expect(decodeCs06Command(apdu.content, contentOffset)).toMatchObject({
      executionDateTime: GBCS_CANCELLATION_TIME,
      counter: apdu.counter,
    });
  });

  it('removes the stored activation, answers NULL device-signed, and the stale timer does nothing', () => {
    const stored = storedWithImage();
    expect(stored.state.firmware.futureDated?.imageHash).toBe(IMAGES.v100.hash);
    const cancelled = send(stored.state, activateFrame(IMAGES.v100.hashBytes, CANCEL));
    expect(responseContent(cancelled)).toBe('0500');
    expect(sentProtection(cancelled)).toEqual(['signed']);
    expect(sentPayloads(cancelled)[0]?.body).toEqual({ status: 'commandAccepted' });
    expect(cancelled.state.firmware.futureDated).toBeUndefined();
    expect(cancelled.state.eventLog.map((e) => e.code)).toContain('futureDatedCommandCancelled');
    const due = fire(stored, cancelled.state, Date.parse(AT));
    expect(due.effects).toEqual([]);
    expect(due.state.firmwareVersion).toBe('0.9.0');
  });

  it('naming another image cancels nothing: the ExecutionOutcome says activationFailure (3) and the stored one still runs', () => {
    const stored = storedWithImage();
    const refused = send(stored.state, activateFrame(IMAGES.v091.hashBytes, CANCEL));
    // 30 09 { INTEGER 3 activationFailure, OCTET STRING the running version 0.9.0 }
    expect(responseContent(refused)).toBe('3009020103040400090000');
    expect(refused.state.firmware.futureDated?.imageHash).toBe(IMAGES.v100.hash);
    const due = fire(stored, refused.state, Date.parse(AT));
    expect(sentPayloads(due).map((p) => [p.useCase, p.messageCode])).toContainEqual(['0x00CA', '0x8F66']);
    expect(due.state.firmwareVersion).toBe('1.0.0');
  });

  it('with nothing stored, the device answers activationFailure and changes nothing', () => {
    const step = send(newTestDevice(), activateFrame(IMAGES.v100.hashBytes, CANCEL));
    expect(sentPayloads(step)[0]?.body).toEqual({ status: 'activationFailure', firmwareVersion: '0.9.0' });
    expect(step.state.firmware.futureDated).toBeUndefined();
    expect(step.effects.filter((e) => e.type === 'schedule')).toEqual([]);
  });
});
