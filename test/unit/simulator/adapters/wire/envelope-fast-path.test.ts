import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeEnvelope,
  encodeEnvelope,
  envelopeSchema,
} from '../../../../../simulator/adapters/wire/envelope.js';
import { parseCommonEnvelope } from '../../../../../simulator/adapters/wire/envelope-fast-path.js';
import { RESPONSE_CODES } from '../../../../../simulator/domain/duis/response-codes.js';

/** A map as CBOR decodes one: a plain object (fast-check's dictionaries have no prototype). */
const plain = <T extends object>(dictionary: T): T => ({ ...dictionary });

/** Any value a member could hold: the right type and every wrong one. */
const anyMember = fc.oneof(
  fc.string({ maxLength: 90 }),
  fc.constantFrom('11.2', '8.1', '8.1.1', '1.2.3.4', 'I0', 'I99', 'E5', 'x', '', 'a'.repeat(81)),
  fc.integer({ min: -2, max: 10 }),
  fc.double(),
  fc.constant(undefined),
  fc.constant(null),
  fc.uint8Array({ maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.string(), fc.nat())).map(plain),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.nat()),
  fc.constant({ constructor: 1 }),
  fc.constant([]),
);

const request = fc
  .record(
    {
      requestId: fc.oneof(fc.string({ maxLength: 80 }), fc.constant('90-B3-D5-1F-30-01-00-00:1')),
      commandVariant: fc.integer({ min: 1, max: 8 }),
      serviceReference: fc.constantFrom('11', '11.2', '8.1'),
      serviceReferenceVariant: fc.constantFrom('11.2', '8.1.1', '6.23'),
      body: fc
        .dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string(), fc.nat(), fc.boolean()))
        .map(plain),
      preCommand: fc.uint8Array({ maxLength: 8 }),
      signature: fc.uint8Array({ minLength: 64, maxLength: 64 }),
    },
    { requiredKeys: ['requestId', 'commandVariant', 'serviceReference', 'serviceReferenceVariant'] },
  )
  .map(plain);

const response = fc
  .record(
    {
      responseId: fc.string({ maxLength: 20 }),
      requestId: fc.string({ maxLength: 20 }),
      serviceReferenceVariant: fc.constantFrom('11.2', '8.1.1'),
      responseCode: fc.constantFrom(...RESPONSE_CODES),
      rule: fc.string({ maxLength: 10 }),
      reason: fc.string({ maxLength: 10 }),
      body: fc.dictionary(fc.string({ maxLength: 6 }), fc.string()).map(plain),
      preCommand: fc.uint8Array({ maxLength: 8 }),
      gbcsPayload: fc.uint8Array({ maxLength: 8 }),
    },
    { requiredKeys: ['responseId', 'requestId', 'serviceReferenceVariant', 'responseCode'] },
  )
  .map(plain);

const memberNames = [
  'requestId',
  'commandVariant',
  'serviceReference',
  'serviceReferenceVariant',
  'body',
  'preCommand',
  'signature',
  'responseId',
  'responseCode',
  'rule',
  'reason',
  'gbcsPayload',
  'extra',
];

/** A valid message, then maybe one member dropped, set to any value, or added. */
const message = fc
  .tuple(
    fc.oneof(request, response) as fc.Arbitrary<Record<string, unknown>>,
    fc.constantFrom(...memberNames),
    fc.constantFrom('keep', 'drop', 'set'),
    anyMember,
  )
  .map(([valid, name, change, member]) => {
    const out = { ...valid };
    if (change === 'drop') delete out[name];
    if (change === 'set') out[name] = member;
    return out;
  });

const envelope = fc
  .record({
    v: fc.oneof(fc.constant(1), fc.constant(1), anyMember),
    kind: fc.constantFrom('serviceRequest', 'serviceResponse', 'dccAlert', 'other'),
    message,
  })
  .map(plain);

describe('envelope fast path (PROTOCOL.md §2)', () => {
  it('PROTOCOL.md §2 - whenever it answers, the schema accepts and gives the same envelope, members in the same order', () => {
    let answered = 0;
    fc.assert(
      fc.property(envelope, (value) => {
        const fast = parseCommonEnvelope(value);
        if (fast === undefined) return;
        answered++;
        const parsed = envelopeSchema.safeParse(value);
        expect(parsed.success).toBe(true);
        if (!parsed.success) return;
        const expected = { kind: parsed.data.kind, message: parsed.data.message };
        expect(fast).toStrictEqual(expected);
        expect(Object.keys(fast.message)).toEqual(Object.keys(expected.message));
      }),
      { seed: 2, numRuns: 3000 },
    );
    expect(answered).toBeGreaterThan(100); // the property must not pass by never answering
  });

  it('answers for the valid requests and responses the parties send, so they skip zod', () => {
    fc.assert(
      fc.property(fc.oneof(request, response), (valid) => {
        const kind = 'commandVariant' in valid ? 'serviceRequest' : 'serviceResponse';
        expect(parseCommonEnvelope({ v: 1, kind, message: valid })).toBeDefined();
      }),
      { seed: 3, numRuns: 300 },
    );
  });

  it('decodes what it encodes through the fast path, as through the schema', () => {
    const sent = {
      kind: 'serviceRequest' as const,
      message: {
        requestId: 'r1',
        commandVariant: 1,
        serviceReference: '11.2',
        serviceReferenceVariant: '11.2',
        body: { a: 1 },
      },
    };
    expect(decodeEnvelope(encodeEnvelope(sent))).toStrictEqual(sent);
    expect(() =>
      decodeEnvelope(encodeEnvelope({ ...sent, message: { ...sent.message, commandVariant: 9 } })),
    ).toThrow(/commandVariant/);
  });
});
