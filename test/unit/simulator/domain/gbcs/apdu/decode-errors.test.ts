import { describe, expect, it } from 'vitest';
import { GbcsDecodeError } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-codec-error.js';
import { decodeGbcsMessage } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import { hex, rtdsSample } from '../gbcs-fixtures.js';

const ecs52 = rtdsSample('ECS52_11.2_SUCCESS_COMMAND_GBCS.HEX').bytes;
const ecs70Response = rtdsSample('ECS70Commission_8.1.1_SUCCESS_RESPONSE_GBCS.HEX').bytes;

function failure(bytes: Uint8Array): GbcsDecodeError {
  try {
    decodeGbcsMessage(bytes);
  } catch (err) {
    if (err instanceof GbcsDecodeError) return err;
    throw err;
  }
  throw new Error('decoded, but should have failed');
}

function patched(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[offset] = value;
  return copy;
}

describe('GBCS decode errors name the byte offset and the field', () => {
  it('empty input fails at offset 0', () => {
    expect(failure(new Uint8Array(0))).toMatchObject({ offset: 0, code: 'GBCS_MALFORMED' });
  });

  it('a first byte other than DD or DF fails at offset 0', () => {
    const err = failure(hex('30 00'));
    expect(err.offset).toBe(0);
    expect(err.message).toContain('neither 0xDD');
  });

  it('General Block Transfer (DD with a non-zero second byte) is refused at offset 1', () => {
    expect(failure(patched(ecs52, 1, 0x01))).toMatchObject({ offset: 1, field: 'MAC header transaction-id' });
  });

  it('a ciphered-content length that disagrees with the bytes fails at its own offset (7)', () => {
    expect(failure(patched(ecs52, 7, 0x48))).toMatchObject({ offset: 7, field: 'ciphered-content length' });
  });

  it('a truncated MAC-headed message fails at the length that no longer fits', () => {
    expect(failure(ecs52.subarray(0, 60)).offset).toBe(7);
  });

  it('a wrong security header fails at offset 8', () => {
    expect(failure(patched(ecs52, 8, 0x31))).toMatchObject({ offset: 8, field: 'security header' });
  });

  it('a CRA flag other than 1, 2, 3 fails at its offset (15)', () => {
    expect(failure(patched(ecs52, 15, 0x04))).toMatchObject({ offset: 15, field: 'CRA flag' });
  });

  it('a system title length other than 08 fails at offset 24', () => {
    expect(failure(patched(ecs52, 24, 0x07))).toMatchObject({
      offset: 24,
      field: 'originator system title length',
    });
  });

  it('a date-time length other than 00 or 0C fails at offset 42', () => {
    expect(failure(patched(ecs52, 42, 0x05))).toMatchObject({ offset: 42, field: 'date-time length' });
  });

  it('an other-information length that is no GBCS form fails at offset 43', () => {
    expect(failure(patched(ecs52, 43, 0x03))).toMatchObject({
      offset: 43,
      field: 'other-information length',
    });
  });

  it('a content length running past the APDU fails naming the content', () => {
    const err = failure(patched(ecs52, 46, 0x30));
    expect(err.field).toBe('content');
    expect(err.offset).toBe(47);
  });

  it('a non-minimal DER length (81 13) fails at the length', () => {
    const gs = ecs70Response;
    const contentLengthAt = 33; // DF, transaction-id (10), two titles (18), date-time (1), other-information (3)
    const bad = Uint8Array.from([...gs.subarray(0, contentLengthAt), 0x81, ...gs.subarray(contentLengthAt)]);
    expect(failure(bad)).toMatchObject({ offset: contentLengthAt, field: 'content length' });
  });

  it('a signature length other than 00 or 40 fails at its offset', () => {
    const at = ecs70Response.length - 65;
    expect(failure(patched(ecs70Response, at, 0x3f))).toMatchObject({
      offset: at,
      field: 'signature length',
    });
  });

  it('a truncated signature fails naming the signature', () => {
    expect(failure(ecs70Response.subarray(0, ecs70Response.length - 1)).field).toBe('signature');
  });

  it('bytes after a device-signed message fail at the first extra byte', () => {
    const extra = Uint8Array.from([...ecs70Response, 0x00]);
    expect(failure(extra).offset).toBe(ecs70Response.length);
  });

  it('the message says where, in words a user can find in the hex', () => {
    expect(failure(patched(ecs52, 15, 0x04)).message).toBe(
      'GBCS malformed at byte offset 15 (CRA flag): 0x04 is not 01 (command), 02 (response) or 03 (alert)',
    );
  });
});
