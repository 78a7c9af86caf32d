import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../../../../../simulator/domain/gbcs/apdu/byte-reader.js';
import { GbcsDecodeError } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-codec-error.js';
import { readDlmsData } from '../../../../../../simulator/domain/gbcs/payloads/dlms/dlms-data.js';
import { hex } from '../gbcs-fixtures.js';

/**
 * A compact-array whose elements take no bytes once made the reader loop without end (a flipped
 * byte in an ECS35 response ran the process out of memory). Each such description is refused
 * with a decode error naming the field, and a normal compact-array still reads.
 */
describe('DLMS compact-array on hostile bytes', () => {
  it.each([
    ['null-data elements', '13 00 05 0000000000'],
    ['empty structure elements', '13 02 00 05 0000000000'],
    ['empty array elements', '13 01 0000 00 05 0000000000'],
    ['arrays of arrays of null-data (65535 x 65535 elements from nothing)', '13 01 FFFF 01 FFFF 00 01 00'],
  ])('%s: refused with a GBCS decode error', (_name, bytes) => {
    const reader = new ByteReader(hex(bytes.replaceAll(' ', '')));
    expect(() => readDlmsData(reader)).toThrow(GbcsDecodeError);
    expect(() => readDlmsData(new ByteReader(hex(bytes.replaceAll(' ', ''))))).toThrow(
      /compact-array|no bytes/,
    );
  });

  it('a compact-array of long-unsigned still reads', () => {
    const data = readDlmsData(new ByteReader(hex('131204' + '0102' + '0304')));
    expect(data).toMatchObject({
      type: 'compact-array',
      elements: [
        { type: 'long-unsigned', value: 0x0102 },
        { type: 'long-unsigned', value: 0x0304 },
      ],
    });
  });
});
