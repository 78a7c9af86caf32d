import { describe, expect, it } from 'vitest';
import { decodeGbcsMessage } from '../../../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import { formatMessageCode } from '../../../../../simulator/domain/gbcs/use-cases/use-case-catalogue.js';
import {
  CERTIFIED_MODEL,
  esmeEui,
  firstResponse,
  newHarness,
  putDevice,
  SUPPLIER_A,
} from '../../../../support/dcc-fixture.js';

/**
 * DUIS's GBCSPayload is the device's APDU as it sent it, MAC header included (DUIS.md §3.1
 * shape 4, §3 DeviceAlertMessage): the DCC core keeps the bytes it received on the response and
 * the alert it relays, and gives none to what no device sent.
 */
const ESME = esmeEui(1);

function commissioned() {
  const h = newHarness();
  putDevice(h.state, ESME, 'Commissioned', CERTIFIED_MODEL);
  return h;
}

describe('the device APDU travels with the DCC’s response and alert (gbcsPayload)', () => {
  it('11.2: the I0 carries the device’s response APDU byte for byte; the I99 before it carries none', () => {
    const h = commissioned();
    const sent = h.send(SUPPLIER_A, '11.2', { target: ESME });
    expect(sent.response.responseCode).toBe('I99');
    expect(sent.response.gbcsPayload).toBeUndefined();
    const response = firstResponse(
      h.deviceAnswers(ESME, sent.counter, { status: 'success', firmwareVersion: '1.2.0' }),
    );
    expect(response.responseCode).toBe('I0');
    const sentByDevice = h.fromDevices.at(-1) as Uint8Array;
    expect(response.gbcsPayload).toEqual(sentByDevice);
    // A copy: nothing that later touches the frame's buffer changes what the User is given.
    expect(response.gbcsPayload?.buffer).not.toBe(sentByDevice.buffer);
    const { apdu } = decodeGbcsMessage(response.gbcsPayload as Uint8Array);
    expect(apdu.cra).toBe('response');
    expect(apdu.originator).toBe(ESME);
    expect(apdu.counter).toBe(BigInt(sent.counter));
    expect(formatMessageCode(apdu.otherInformation.messageCode)).toBe('0x0059'); // ECS52
  });

  it('a device alert relayed to the supplier carries the device’s alert APDU byte for byte', () => {
    const h = commissioned();
    const effects = h.deviceAlerts(ESME, '0x8F43', { previousVersion: '1.0.0', firmwareVersion: '1.2.0' });
    const relays = effects.flatMap((e) => (e.type === 'dccAlert' ? [e] : []));
    // The new firmware is not on the CPL: the DCC's own DeviceSuspended follows, which no device sent.
    expect(relays.map((r) => [r.user, r.message.alert, r.message.alertCode])).toEqual([
      [SUPPLIER_A, 'DeviceAlert', '0x8F43'],
      [SUPPLIER_A, 'DeviceSuspended', undefined],
    ]);
    expect(relays[0]?.message.gbcsPayload).toEqual(h.fromDevices.at(-1));
    expect(decodeGbcsMessage(relays[0]?.message.gbcsPayload as Uint8Array).apdu.cra).toBe('alert');
    expect(relays[1]?.message.gbcsPayload).toBeUndefined();
  });

  it('non-device answers and refusals carry no GBCS payload: no device sent them', () => {
    const h = commissioned();
    const inventory = h.send(SUPPLIER_A, '8.2', { cv: 8, body: { deviceId: ESME } }).response;
    expect(inventory.responseCode).toBe('I0');
    expect(inventory.gbcsPayload).toBeUndefined();
    const refused = h.send(SUPPLIER_A, '4.1.1', { target: esmeEui(99) });
    expect(refused.response.responseCode).toMatch(/^E/);
    expect(refused.response.gbcsPayload).toBeUndefined();
  });
});
