import fc from 'fast-check';
import { encodeCbor } from '../../simulator/adapters/wire/cbor-codec.js';
import type { Envelope } from '../../simulator/adapters/wire/envelope.js';
import { RESPONSE_CODES } from '../../simulator/domain/duis/response-codes.js';
import { euiFromBytes } from '../../simulator/domain/eui.js';
import { encodeGeneralSigning, SIGNATURE_EMPTY } from '../../simulator/domain/gbcs/apdu/general-signing.js';
import { encodeMacHeader } from '../../simulator/domain/gbcs/apdu/mac-header.js';
import { acbForm, messageCodeOnly } from '../../simulator/domain/gbcs/apdu/other-information.js';
import { DCC_ALERT_NAMES } from '../../simulator/domain/messages/duis-messages.js';
import type { GbcsPayload } from '../../simulator/domain/messages/gbcs-messages.js';

/** Valid messages of every kind, for the fuzzers to break. */
export const euiArb = fc.uint8Array({ minLength: 8, maxLength: 8 }).map(euiFromBytes);
export const eui8Arb = fc.uint8Array({ minLength: 8, maxLength: 8 });
const srvArb = fc.constantFrom(
  '12.2',
  '8.11',
  '8.4',
  '8.1.1',
  '8.2',
  '8.3',
  '11.2',
  '11.1',
  '11.3',
  '4.1.1',
  '6.23',
);
export const bodyArb = fc.dictionary(
  fc.string({ maxLength: 12 }),
  fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.uint8Array({ maxLength: 16 })),
  { maxKeys: 5 },
);

export const gbcsPayloadArb: fc.Arbitrary<GbcsPayload> = fc.record(
  {
    cra: fc.constantFrom(1 as const, 2 as const, 3 as const),
    originator: eui8Arb,
    recipient: eui8Arb,
    counter: fc.maxSafeNat(),
    dateTime: fc.nat(),
    messageCode: srvArb,
    inResponseTo: fc.maxSafeNat(),
    body: bodyArb,
  },
  { requiredKeys: ['cra', 'originator', 'recipient', 'counter', 'dateTime', 'messageCode', 'body'] },
);

export const envelopeArb: fc.Arbitrary<Envelope> = fc.oneof(
  fc
    .record({
      originator: euiArb,
      target: euiArb,
      counter: fc.maxSafeNat(),
      commandVariant: fc.integer({ min: 1, max: 8 }),
      srv: srvArb,
      body: bodyArb,
    })
    .map(
      (r): Envelope => ({
        kind: 'serviceRequest',
        message: {
          requestId: `${r.originator}:${r.target}:${r.counter}`,
          commandVariant: r.commandVariant,
          serviceReference: r.srv.split('.').slice(0, 2).join('.'),
          serviceReferenceVariant: r.srv,
          body: r.body,
        },
      }),
    ),
  fc.record({ id: fc.string({ maxLength: 40 }), code: fc.constantFrom(...RESPONSE_CODES), srv: srvArb }).map(
    (r): Envelope => ({
      kind: 'serviceResponse',
      message: { responseId: r.id, requestId: r.id, serviceReferenceVariant: r.srv, responseCode: r.code },
    }),
  ),
  fc.record({ alert: fc.constantFrom(...DCC_ALERT_NAMES), device: euiArb, at: fc.nat() }).map(
    (r): Envelope => ({
      kind: 'dccAlert',
      message: { alert: r.alert, deviceId: r.device, raisedAt: r.at },
    }),
  ),
);

/** Replaces one value somewhere inside `value` (a path chosen by `pick`) with `replacement`. */
export function replaceSomewhere(value: unknown, pick: number, replacement: unknown): unknown {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return;
    for (const [k, member] of Object.entries(v)) walk(member, [...path, Array.isArray(v) ? Number(k) : k]);
  };
  walk(value, []);
  const path = paths[pick % paths.length] as (string | number)[];
  if (path.length === 0) return replacement;
  const clone = structuredClone(value) as Record<string | number, unknown>;
  let target = clone;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  target[path[path.length - 1] as string | number] = replacement;
  return clone;
}

/** Values of the wrong type for any field: what a confused or hostile peer might send. */
export const wrongTypeArb = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.double(),
  fc.bigInt(),
  fc.string({ maxLength: 30 }),
  fc.uint8Array({ maxLength: 70 }),
  fc.array(fc.integer(), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
  fc.constant(-1),
  fc.constant(2 ** 64),
  fc.constant(Number.NaN),
);

/**
 * Well-formed GBCS APDUs with arbitrary header fields and content, bare (`DF`) or inside a MAC
 * header with a random MAC: what a confused or hostile device, or a broken DCC, might put on the
 * wire. They decode, so they reach the checks after decoding.
 */
export const gbcsApduArb: fc.Arbitrary<Uint8Array> = fc
  .record({
    cra: fc.constantFrom('command' as const, 'response' as const, 'alert' as const),
    counter: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    originator: euiArb,
    recipient: euiArb,
    messageCode: fc.oneof(
      fc.constantFrom(0x0059, 0x0062, 0x1000, 0x1001, 0xff0a),
      fc.integer({ min: 0, max: 0xffff }),
    ),
    supplementary: fc.option(fc.tuple(euiArb, fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }))),
    content: fc.oneof(
      fc
        .dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), fc.string({ maxLength: 12 })), {
          maxKeys: 4,
        })
        .map((b) => encodeCbor(b)),
      fc.uint8Array({ maxLength: 120 }),
    ),
    signed: fc.option(fc.uint8Array({ minLength: 64, maxLength: 64 })),
    mac: fc.option(fc.uint8Array({ minLength: 12, maxLength: 12 })),
  })
  .map((r) => {
    const gs = encodeGeneralSigning({
      cra: r.cra,
      counter: r.counter,
      originator: r.originator,
      recipient: r.recipient,
      dateTime: null,
      otherInformation:
        r.supplementary === null
          ? messageCodeOnly(r.messageCode)
          : acbForm(r.messageCode, r.supplementary[0], r.supplementary[1]),
      content: r.content,
      signature: r.signed === null ? SIGNATURE_EMPTY : { kind: 'signed', signature: r.signed },
    });
    return r.mac === null ? gs : encodeMacHeader(gs, r.mac);
  });
