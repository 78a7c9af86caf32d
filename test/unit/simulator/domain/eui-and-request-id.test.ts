import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatRequestId,
  parseRequestId,
  responseIdFor,
} from '../../../../simulator/domain/duis/request-id.js';
import { euiFromBytes, euiToBytes, isEui, parseEui } from '../../../../simulator/domain/eui.js';

describe('EUI-64 (DCC.md §1)', () => {
  it('normalises case and separators to XX-XX-XX-XX-XX-XX-XX-XX', () => {
    expect(parseEui('90b3d51f30010000')).toBe('90-B3-D5-1F-30-01-00-00');
    expect(parseEui('90:b3:d5:1f:30:01:00:00')).toBe('90-B3-D5-1F-30-01-00-00');
  });

  it('refuses text that is not eight hex octets, saying what was expected', () => {
    expect(() => parseEui('90-B3-D5')).toThrow(/eight hex octets/);
    expect(() => parseEui('ZZ-B3-D5-1F-30-01-00-00')).toThrow(/not an EUI-64/);
  });

  it('round-trips through its 8 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), (bytes) => {
        const eui = euiFromBytes(bytes);
        expect(isEui(eui)).toBe(true);
        expect([...euiToBytes(eui)]).toEqual([...bytes]);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('parses every spelling of the same 8 bytes to the one canonical form', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        fc.constantFrom('-', ':', ''),
        fc.boolean(),
        (bytes, separator, lower) => {
          const canonical = euiFromBytes(bytes);
          const spelt = canonical.split('-').join(separator);
          expect(parseEui(lower ? spelt.toLowerCase() : spelt)).toBe(canonical);
          expect(parseEui(canonical)).toBe(canonical);
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe('DUIS RequestID (originatorEUI:targetEUI:counter)', () => {
  const id = {
    originator: parseEui('90-B3-D5-1F-30-01-00-00'),
    target: parseEui('00-12-4B-00-00-00-01-01'),
    counter: 42,
  };

  it('formats and parses back', () => {
    expect(formatRequestId(id)).toBe('90-B3-D5-1F-30-01-00-00:00-12-4B-00-00-00-01-01:42');
    expect(parseRequestId(formatRequestId(id))).toEqual(id);
  });

  it('a ResponseID swaps the EUIs', () => {
    expect(responseIdFor(id)).toBe('00-12-4B-00-00-00-01-01:90-B3-D5-1F-30-01-00-00:42');
  });

  it('refuses a malformed RequestID with the reason', () => {
    expect(() => parseRequestId('only:two')).toThrow(/originatorEUI:targetEUI:counter/);
    expect(() => parseRequestId('90-B3-D5-1F-30-01-00-00:00-12-4B-00-00-00-01-01:-1')).toThrow(/counter/);
    expect(() => parseRequestId('90-B3-D5-1F-30-01-00-00:00-12-4B-00-00-00-01-01:99999999999999999')).toThrow(
      /2\^53/,
    );
  });
});
