import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { euiFromBytes, euiToBytes, isEui, writeCanonicalEuiBytes } from '../../../../simulator/domain/eui.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Text close to an EUI: canonical ones, and ones with a character changed, added or dropped. */
const nearEui = fc.oneof(
  fc.uint8Array({ minLength: 8, maxLength: 8 }).map((bytes) => euiFromBytes(bytes) as string),
  fc
    .tuple(
      fc.uint8Array({ minLength: 8, maxLength: 8 }),
      fc.nat(23),
      fc.constantFrom('a', 'f', 'G', 'g', ':', '-', '0', '9', '/', '@', '`', ' ', ''),
      fc.boolean(),
    )
    .map(([bytes, at, char, insert]) => {
      const text = euiFromBytes(bytes) as string;
      return text.slice(0, at) + char + text.slice(insert ? at : at + 1);
    }),
  fc.string({ maxLength: 30 }),
);

describe('EUI-64 written in place (DCC.md §1)', () => {
  it('accepts exactly what isEui accepts, and writes the bytes euiToBytes gives', () => {
    fc.assert(
      fc.property(nearEui, (text) => {
        const out = new Uint8Array(10);
        const written = writeCanonicalEuiBytes(text, out, 2);
        expect(written).toBe(isEui(text));
        if (written && isEui(text)) expect(hex(out.subarray(2))).toBe(hex(euiToBytes(text)));
      }),
      { seed: 64, numRuns: 2000 },
    );
  });

  it('refuses lower case, other separators and wrong lengths', () => {
    const out = new Uint8Array(8);
    expect(writeCanonicalEuiBytes('90-b3-d5-1f-30-01-00-00', out, 0)).toBe(false);
    expect(writeCanonicalEuiBytes('90:B3:D5:1F:30:01:00:00', out, 0)).toBe(false);
    expect(writeCanonicalEuiBytes('90-B3-D5-1F-30-01-00-0', out, 0)).toBe(false);
    expect(writeCanonicalEuiBytes('90-B3-D5-1F-30-01-00-00', out, 0)).toBe(true);
  });
});
