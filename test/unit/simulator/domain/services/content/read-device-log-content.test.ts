import { describe, expect, it } from 'vitest';
import { cborContentCodec } from '../../../../../../simulator/adapters/wire/envelope.js';
import { stepDevice } from '../../../../../../simulator/domain/device/device-machine.js';
import type { DeviceType } from '../../../../../../simulator/domain/device/device-types.js';
import type { Eui } from '../../../../../../simulator/domain/eui.js';
import { GbcsDecodeError } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-codec-error.js';
import { decodeGbcsMessage } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import { SIGNATURE_EMPTY } from '../../../../../../simulator/domain/gbcs/apdu/general-signing.js';
import { messageCodeOnly } from '../../../../../../simulator/domain/gbcs/apdu/other-information.js';
import { encodeMacProtected } from '../../../../../../simulator/domain/gbcs/protection/gbcs-protect.js';
import {
  readCommandContent,
  readResponseContent,
  writeCommandContent,
  writeResponseContent,
} from '../../../../../../simulator/domain/services/content/wire-content.js';
import {
  ACB,
  DEVICE_EUI,
  DEVICE_KA,
  env,
  newTestDevice,
  START,
  SUPPLIER,
} from '../../../../../support/device-fixture.js';
import { toHex } from '../../gbcs/gbcs-fixtures.js';

const CS07 = 0x0013;
const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s/g, ''), 'hex'));

/** The join details of GBCS.md §7.6's CS07 example (RTDS 4.5.0, quoted there byte for byte). */
const JOINED: Readonly<Record<string, DeviceType>> = {
  '01-02-03-04-05-06-07-08': 'GPF',
  '00-DB-12-34-56-78-90-99': 'GPF',
  '00-DB-12-34-56-78-90-97': 'PPMID',
};
const RTDS_RESPONSE = hex(`30 32 02 01 00 30 2D
  30 0D 04 08 01 02 03 04 05 06 07 08 02 01 03
  30 0D 04 08 00 DB 12 34 56 78 90 99 02 01 03
  30 0D 04 08 00 DB 12 34 56 78 90 97 02 01 05`);
const context = {
  counter: 1001n,
  now: 0,
  deviceTypeOf: (eui: Eui) => JOINED[eui],
};

describe('8.9 on a HAN device travels as CS07 Read Device Join Details (GBCS.md §7.6)', () => {
  it('the command is an ASN.1 NULL (05 00), and reads back as the empty 8.9 body', () => {
    const bytes = writeCommandContent(CS07, {}, context, cborContentCodec);
    expect(toHex(bytes)).toBe('0500');
    expect(readCommandContent(CS07, bytes, 0, cborContentCodec)).toEqual({});
  });

  it('the response is the response code and one {EUI, GBCS device type} per joined device, as the RTDS example', () => {
    const body = { status: 'success', deviceLog: Object.keys(JOINED) };
    const bytes = writeResponseContent(CS07, body, context, cborContentCodec);
    expect(toHex(bytes)).toBe(toHex(RTDS_RESPONSE));
    expect(readResponseContent(CS07, RTDS_RESPONSE, 0, cborContentCodec)).toEqual(body);
  });

  it('a device that knows no type for an entry writes ESME (1), as CCS01 does; an empty log is an empty list', () => {
    const one = writeResponseContent(
      CS07,
      { status: 'success', deviceLog: ['00-12-4B-00-00-00-01-01'] },
      { counter: 1n, now: 0 },
      cborContentCodec,
    );
    expect(toHex(one)).toBe('3014020100300f300d040800124b0000000101020101');
  });

  it('a failed read is response code 1 (read failure) with no entries, and reads back as failure', () => {
    const bytes = writeResponseContent(CS07, { status: 'failure' }, context, cborContentCodec);
    expect(toHex(bytes)).toBe('30050201013000');
    expect(readResponseContent(CS07, bytes, 0, cborContentCodec)).toEqual({
      status: 'failure',
      responseCode: 1,
    });
  });

  it('content that is not CS07 is refused with a GBCS decode error naming the offset', () => {
    expect(() => readCommandContent(CS07, hex('0501'), 40, cborContentCodec)).toThrow(GbcsDecodeError);
    expect(() => readResponseContent(CS07, RTDS_RESPONSE.subarray(0, 20), 40, cborContentCodec)).toThrow(
      GbcsDecodeError,
    );
  });
});

describe('a GPF answers 8.9 with CS07 on the device wire', () => {
  it('the GPF reads the NULL command and answers its join details as CS07, MACed to the Supplier', () => {
    const gpf = { ...newTestDevice(), identity: { ...newTestDevice().identity, deviceType: 'GPF' as const } };
    const command = {
      cra: 'command' as const,
      counter: 5001n,
      originator: SUPPLIER.eui,
      recipient: DEVICE_EUI,
      dateTime: null,
      otherInformation: messageCodeOnly(CS07),
      content: writeCommandContent(CS07, {}, { counter: 5001n, now: START }, cborContentCodec),
      signature: SIGNATURE_EMPTY,
    };
    const frame = {
      apdu: encodeMacProtected(command, {
        ownKaPrivateKey: ACB.ka.privateKey,
        peerKaPublicKey: DEVICE_KA.publicKey,
      }),
    };
    const step = stepDevice(gpf, { type: 'frame', frame, now: START }, env);
    const sent = step.effects.flatMap((e) => (e.type === 'send' ? [decodeGbcsMessage(e.frame.apdu)] : []));
    expect(sent).toHaveLength(1);
    const [response] = sent;
    expect(response?.apdu.otherInformation.messageCode).toBe(CS07);
    expect(response?.mac).not.toBeNull();
    // No device in a trialsim GPF's log: response code 0 and an empty SEQUENCE OF.
    expect(toHex(response?.apdu.content ?? new Uint8Array())).toBe('30050201003000');
  });
});
