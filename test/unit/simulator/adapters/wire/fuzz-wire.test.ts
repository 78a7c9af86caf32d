import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeCbor,
  encodeCbor,
  MAX_MESSAGE_BYTES,
  MAX_NESTING_DEPTH,
} from '../../../../../simulator/adapters/wire/cbor-codec.js';
import {
  decodeContentBody,
  decodeEnvelope,
  encodeContentBody,
  encodeEnvelope,
} from '../../../../../simulator/adapters/wire/envelope.js';
import { WireError } from '../../../../../simulator/errors.js';
import { budget } from '../../../../support/run-budget.js';
import {
  bodyArb,
  envelopeArb,
  replaceSomewhere,
  wrongTypeArb,
} from '../../../../support/wire-arbitraries.js';

/** The contract of every decoder: a value, or a WireError saying what is wrong. Nothing else. */
function decodesOrWireError(decode: () => unknown, what: RegExp): 'ok' | 'refused' {
  try {
    decode();
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(WireError);
    expect((err as WireError).code).toBe('WIRE_MALFORMED');
    expect((err as Error).message).toMatch(what);
    return 'refused';
  }
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** `depth` nested one-element CBOR arrays around a 0. */
function nestedArrays(depth: number): Uint8Array {
  const bytes = new Uint8Array(depth + 1).fill(0x81);
  bytes[depth] = 0x00;
  return bytes;
}

describe('CBOR decoder under hostile input', () => {
  it('WIRE-MALFORMED - random bytes decode or give a WireError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        decodesOrWireError(() => decodeCbor(bytes, 'envelope'), /^envelope: /);
      }),
      budget(400),
    );
  });

  it('WIRE-MALFORMED - truncated messages give a WireError, never a partial value', () => {
    fc.assert(
      fc.property(envelopeArb, fc.nat(), (envelope, cut) => {
        const bytes = encodeEnvelope(envelope);
        const truncated = bytes.subarray(0, cut % bytes.length);
        expect(decodesOrWireError(() => decodeCbor(truncated, 'envelope'), /^envelope: /)).toBe('refused');
      }),
      budget(300),
    );
  });

  it(`WIRE-SIZE - anything over ${MAX_MESSAGE_BYTES} bytes is refused before decoding`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 0, max: 255 }), (extra, fill) => {
        const bytes = new Uint8Array(MAX_MESSAGE_BYTES + extra).fill(fill);
        expect(() => decodeCbor(bytes, 'envelope')).toThrow(/over the \d+-byte limit/);
      }),
      budget(10),
    );
  });

  it(`WIRE-NESTING - nesting deeper than ${MAX_NESTING_DEPTH} levels is refused, however deep`, () => {
    fc.assert(
      fc.property(fc.integer({ min: MAX_NESTING_DEPTH + 1, max: 100_000 }), (depth) => {
        expect(decodesOrWireError(() => decodeCbor(nestedArrays(depth), 'envelope'), /^envelope: /)).toBe(
          'refused',
        );
      }),
      budget(30),
    );
    expect(decodeCbor(nestedArrays(MAX_NESTING_DEPTH - 1), 'ok')).toBeDefined();
  });

  it('WIRE-NESTING - deeply nested maps inside a valid request body are refused', () => {
    let body: unknown = 1;
    for (let i = 0; i < 200; i++) body = { x: body };
    const bytes = encodeCbor({ v: 1, kind: 'serviceRequest', message: { body } });
    expect(() => decodeEnvelope(bytes)).toThrow(/nested deeper than/);
  });

  it('WIRE-MALFORMED - a __proto__ key cannot pollute prototypes', () => {
    const bytes = encodeCbor(JSON.parse('{"__proto__": {"polluted": true}, "v": 1}'));
    decodesOrWireError(() => decodeEnvelope(bytes), /^envelope: /);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('envelope and GBCS payload decoders under hostile input', () => {
  it('WIRE-MALFORMED - random CBOR values are refused with the field that is wrong', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4 }), (value) => {
        let bytes: Uint8Array;
        try {
          bytes = encodeCbor(value);
        } catch {
          return; // Not encodable (e.g. a symbol key): not a message anyone could send.
        }
        decodesOrWireError(() => decodeEnvelope(bytes), /^envelope: /);
        decodesOrWireError(() => decodeContentBody(bytes), /^content: /);
      }),
      budget(300),
    );
  });

  it('WIRE-MALFORMED - a valid envelope with one field of the wrong type is refused or still valid', () => {
    fc.assert(
      fc.property(envelopeArb, fc.nat(), wrongTypeArb, (envelope, pick, wrong) => {
        const mutated = replaceSomewhere(
          { v: 1, kind: envelope.kind, message: envelope.message },
          pick,
          wrong,
        );
        let bytes: Uint8Array;
        try {
          bytes = encodeCbor(mutated);
        } catch {
          return;
        }
        if (decodesOrWireError(() => decodeEnvelope(bytes), /^envelope: /) === 'ok') {
          // Whatever is accepted is a well-formed envelope: it re-encodes and decodes to itself.
          const again = decodeEnvelope(bytes);
          expect(decodeEnvelope(encodeEnvelope(again))).toEqual(again);
        }
      }),
      budget(400),
    );
  });

  it('WIRE-MALFORMED - flipped bytes in a valid envelope never escape as another error', () => {
    fc.assert(
      fc.property(
        envelopeArb,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        (envelope, flips) => {
          const bytes = Uint8Array.from(encodeEnvelope(envelope));
          for (const [at, mask] of flips) {
            const i = at % bytes.length;
            bytes[i] = (bytes[i] as number) ^ mask;
          }
          decodesOrWireError(() => decodeEnvelope(bytes), /^envelope: /);
        },
      ),
      budget(400),
    );
  });

  it('WIRE-MALFORMED - a content body with one value replaced still round-trips or is refused', () => {
    fc.assert(
      fc.property(bodyArb, fc.nat(), wrongTypeArb, (body, pick, wrong) => {
        let bytes: Uint8Array;
        try {
          bytes = encodeCbor(replaceSomewhere(body, pick, wrong));
        } catch {
          return;
        }
        if (decodesOrWireError(() => decodeContentBody(bytes), /^content: /) === 'ok') {
          const decoded = decodeContentBody(bytes);
          expect(hex(encodeContentBody(decoded))).toBe(
            hex(encodeContentBody(decodeContentBody(encodeContentBody(decoded)))),
          );
        }
      }),
      budget(400),
    );
  });
});
