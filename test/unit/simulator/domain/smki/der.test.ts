import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeObjectIdentifier,
  derObjectIdentifier,
  derOctetString,
  derSequence,
  readDer,
  readDerChildren,
} from '../../../../../simulator/domain/smki/der.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('DER', () => {
  it('encodes well-known OIDs as X.690 does (id-on-hardwareModuleName, x500UniqueIdentifier)', () => {
    expect(hex(derObjectIdentifier('1.3.6.1.5.5.7.8.4'))).toBe('06082b06010505070804');
    expect(hex(derObjectIdentifier('2.5.4.45'))).toBe('060355042d');
  });

  it('OIDs round-trip, including 2.25 arcs beyond 2^53', () => {
    const arc = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
    fc.assert(
      fc.property(
        fc.constantFrom(0n, 1n, 2n),
        fc.array(arc, { maxLength: 6 }),
        arc,
        (first, rest, second) => {
          const secondArc = first < 2n ? second % 40n : second;
          const dotted = [first, secondArc, ...rest].join('.');
          expect(decodeObjectIdentifier(readDer(derObjectIdentifier(dotted)).content)).toBe(dotted);
        },
      ),
    );
  });

  it('long-form lengths round-trip and nested children are read in order', () => {
    const big = new Uint8Array(300).fill(7);
    const encoded = derSequence(derOctetString(big), derOctetString(Uint8Array.of(1)));
    expect(hex(encoded.subarray(0, 4))).toBe('30820133');
    const [first, second] = readDerChildren(readDer(encoded).content);
    expect(first?.content).toHaveLength(300);
    expect(hex(second?.content ?? new Uint8Array())).toBe('01');
  });

  it('rejects truncated input with a RangeError', () => {
    expect(() => readDer(Uint8Array.of(0x30, 0x05, 0x01))).toThrow(RangeError);
    expect(() => readDer(Uint8Array.of(0x30))).toThrow(RangeError);
    expect(() => derObjectIdentifier('1.40')).toThrow(RangeError);
  });
});
