import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  firmwareVersionOctets,
  firmwareVersionText,
} from '../../../../../../simulator/domain/gbcs/payloads/firmware-version.js';
import { toHex } from '../gbcs-fixtures.js';

describe('firmware version octets ↔ text', () => {
  it('8 hex digits are the octets (RTDS 01 23 AB CD)', () => {
    expect(toHex(firmwareVersionOctets('0123ABCD'))).toBe('0123abcd');
    expect(firmwareVersionText(Uint8Array.of(1, 0x23, 0xab, 0xcd), 'hexUpperCase')).toBe('0123ABCD');
  });

  it('a dotted version is one octet per part, zero-padded', () => {
    expect(toHex(firmwareVersionOctets('0.9.0'))).toBe('00090000');
    expect(firmwareVersionText(Uint8Array.of(0, 9, 0, 0), 'dotted')).toBe('0.9.0');
    expect(firmwareVersionText(Uint8Array.of(1, 2, 3, 4), 'dotted')).toBe('1.2.3.4');
  });

  it('every three-part dotted version survives octets and back', () => {
    fc.assert(
      fc.property(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)), (parts) => {
        const text = parts.join('.');
        expect(firmwareVersionText(firmwareVersionOctets(text), 'dotted')).toBe(text);
      }),
    );
  });

  it('refuses text that is neither form', () => {
    expect(() => firmwareVersionOctets('1.256.0')).toThrow(/neither 8 hex digits/);
    expect(() => firmwareVersionOctets('v1')).toThrow(/neither 8 hex digits/);
  });
});
