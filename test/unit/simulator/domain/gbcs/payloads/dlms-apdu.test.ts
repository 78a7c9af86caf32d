import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GbcsDecodeError } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-codec-error.js';
import { decodeGbcsMessage } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import {
  decodeDlmsApdu,
  encodeDlmsApdu,
  invokeIdFor,
} from '../../../../../../simulator/domain/gbcs/payloads/dlms/dlms-apdu.js';
import { GBCS_VECTORS, hex, rtdsSamples, toHex } from '../gbcs-fixtures.js';

const dlmsSamples = rtdsSamples().filter((s) => {
  const first = decodeGbcsMessage(s.bytes).apdu.content[0];
  return first === 0xd9 || first === 0xda || first === 0x0f;
});

describe('DLMS A-XDR payloads', () => {
  it('the RTDS samples hold 13 DLMS payloads (one a pre-command)', () => {
    expect(dlmsSamples).toHaveLength(13);
  });

  it.each(dlmsSamples.map((s) => [s.name, s] as const))(
    '%s: decodes to the last byte and re-encodes byte for byte',
    (_n, s) => {
      const message = decodeGbcsMessage(s.bytes);
      const apdu = decodeDlmsApdu(message.apdu.content, message.contentOffset);
      expect(toHex(encodeDlmsApdu(apdu))).toBe(toHex(message.apdu.content));
      // GBCS.md §5.7: invoke-id = 20 ‖ low 24 bits of the originator counter.
      expect(apdu.invokeId).toBe(invokeIdFor(message.apdu.counter));
    },
  );

  it('the §18.4 ECS04b payload (double-long values) round-trips', () => {
    const vector = JSON.parse(readFileSync(join(GBCS_VECTORS, 'section-18-4.json'), 'utf8'));
    const message = decodeGbcsMessage(hex(vector.message));
    expect(toHex(encodeDlmsApdu(decodeDlmsApdu(message.apdu.content)))).toBe(toHex(message.apdu.content));
  });

  it('ECS35a response: a compact-array of 33 (time, event code, octet-string) entries', () => {
    const s = dlmsSamples.find((x) => x.name.includes('ECS35a_6.13_SUCCESS_RESPONSE'));
    if (!s) throw new Error('sample missing');
    const apdu = decodeDlmsApdu(decodeGbcsMessage(s.bytes).apdu.content);
    if (apdu.apdu !== 'access-response') throw new Error('not a response');
    const [log] = apdu.data;
    if (log?.type !== 'compact-array') throw new Error('not a compact-array');
    expect(log.elements).toHaveLength(33);
    expect(log.elements[0]).toEqual({
      type: 'structure',
      elements: [
        { type: 'double-long-unsigned', value: 473299200 },
        { type: 'long-unsigned', value: 0x8f01 },
        { type: 'octet-string', value: new Uint8Array(0) },
      ],
    });
  });

  it('invoke-ids above 2^24 keep only the low 24 bits (two DCC Boxed examples)', () => {
    expect(invokeIdFor(0x0182ac7b5a07n)).toBe(0x207b5a07);
    expect(invokeIdFor(0x0182b50e3562n)).toBe(0x200e3562);
  });

  it('errors carry the offset in the whole message', () => {
    const s = dlmsSamples[0];
    if (!s) throw new Error('no sample');
    const message = decodeGbcsMessage(s.bytes);
    const content = Uint8Array.from(message.apdu.content);
    content[0] = 0xd8;
    expect(() => decodeDlmsApdu(content, message.contentOffset)).toThrow(GbcsDecodeError);
    try {
      decodeDlmsApdu(content, message.contentOffset);
    } catch (err) {
      expect((err as GbcsDecodeError).offset).toBe(message.contentOffset);
    }
  });
});
