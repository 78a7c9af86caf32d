import fc from 'fast-check';
import type { Eui } from '../../../../../../simulator/domain/eui.js';
import { euiFromBytes } from '../../../../../../simulator/domain/eui.js';
import type { DlmsDateTime } from '../../../../../../simulator/domain/gbcs/apdu/dlms-date-time.js';
import type {
  GeneralSigningApdu,
  SignatureField,
} from '../../../../../../simulator/domain/gbcs/apdu/general-signing.js';
import type { OtherInformation } from '../../../../../../simulator/domain/gbcs/apdu/other-information.js';
import type {
  DlmsData,
  TypeDescription,
} from '../../../../../../simulator/domain/gbcs/payloads/dlms/dlms-data.js';

/** Generators for GBCS structures, shared by the fuzz and round-trip properties. */
export const bytes = (max = 64) => fc.uint8Array({ maxLength: max });
export const eui: fc.Arbitrary<Eui> = fc.uint8Array({ minLength: 8, maxLength: 8 }).map(euiFromBytes);
export const counter = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });

export const dateTime: fc.Arbitrary<DlmsDateTime> = fc.record({
  year: fc.nat(0xffff),
  month: fc.nat(255),
  day: fc.nat(255),
  dayOfWeek: fc.nat(255),
  hour: fc.nat(255),
  minute: fc.nat(255),
  second: fc.nat(255),
  hundredths: fc.nat(255),
  deviation: fc.integer({ min: -0x8000, max: 0x7fff }),
  clockStatus: fc.nat(255),
});

const code = fc.nat(0xffff);
export const otherInformation: fc.Arbitrary<OtherInformation> = fc.oneof(
  code.map((messageCode) => ({ form: 'message-code' as const, messageCode })),
  fc.record({ form: fc.constant('remote-party-id' as const), messageCode: code, remotePartyId: eui }),
  fc.record({
    form: fc.constant('remote-party' as const),
    messageCode: code,
    remotePartyId: eui,
    remotePartyCounter: counter,
  }),
  fc.record({
    form: fc.constant('remote-party-originator-counter' as const),
    messageCode: code,
    remotePartyId: eui,
    remotePartyCounter: counter,
    originatorCounter: counter,
  }),
  fc.record({
    form: fc.constant('remote-party-certificate' as const),
    messageCode: code,
    remotePartyId: eui,
    remotePartyCounter: counter,
    remotePartyKaCertificate: fc.uint8Array({ minLength: 9, maxLength: 300 }),
  }),
);

export const signatureField = (allowOmitted: boolean): fc.Arbitrary<SignatureField> =>
  fc.oneof(
    fc.constant({ kind: 'empty' as const }),
    fc
      .uint8Array({ minLength: 64, maxLength: 64 })
      .map((signature) => ({ kind: 'signed' as const, signature })),
    ...(allowOmitted ? [fc.constant({ kind: 'omitted' as const })] : []),
  );

export const generalSigning = (allowOmitted: boolean): fc.Arbitrary<GeneralSigningApdu> =>
  fc.record({
    cra: fc.constantFrom('command' as const, 'response' as const, 'alert' as const),
    counter,
    originator: eui,
    recipient: eui,
    dateTime: fc.option(dateTime, { nil: null }),
    otherInformation,
    content: fc.uint8Array({ maxLength: 400 }),
    signature: signatureField(allowOmitted),
  });

const simple = (): fc.Arbitrary<DlmsData> =>
  fc.oneof(
    fc.constant({ type: 'null-data' as const }),
    fc.boolean().map((value) => ({ type: 'boolean' as const, value })),
    fc
      .uint8Array({ maxLength: 40 })
      .map((b) => ({ type: 'bit-string' as const, bitCount: b.length * 8, bytes: b })),
    fc
      .integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
      .map((value) => ({ type: 'double-long' as const, value })),
    fc.nat(0xffff_ffff).map((value) => ({ type: 'double-long-unsigned' as const, value })),
    bytes(200).map((value) => ({ type: 'octet-string' as const, value })),
    fc
      .string({
        unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
        maxLength: 20,
      })
      .map((value) => ({ type: 'visible-string' as const, value })),
    fc.integer({ min: -128, max: 127 }).map((value) => ({ type: 'integer' as const, value })),
    fc.integer({ min: -32768, max: 32767 }).map((value) => ({ type: 'long' as const, value })),
    fc.nat(255).map((value) => ({ type: 'unsigned' as const, value })),
    fc.nat(0xffff).map((value) => ({ type: 'long-unsigned' as const, value })),
    fc
      .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
      .map((value) => ({ type: 'long64' as const, value })),
    fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((value) => ({ type: 'long64-unsigned' as const, value })),
    fc.nat(255).map((value) => ({ type: 'enum' as const, value })),
  );

/** A compact-array of structures of simple fixed types, as ECS35 uses. */
const compactArray: fc.Arbitrary<DlmsData> = fc
  .array(fc.constantFrom('double-long-unsigned' as const, 'long-unsigned' as const, 'unsigned' as const), {
    minLength: 1,
    maxLength: 4,
  })
  .chain((types) => {
    const description: TypeDescription = { type: 'structure', elements: types.map((type) => ({ type })) };
    const value = (type: (typeof types)[number]) =>
      fc
        .nat(type === 'double-long-unsigned' ? 0xffff_ffff : type === 'long-unsigned' ? 0xffff : 0xff)
        .map((v) => ({ type, value: v }));
    return fc.array(fc.tuple(...types.map(value)), { maxLength: 8 }).map((rows) => ({
      type: 'compact-array' as const,
      description,
      elements: rows.map((row) => ({ type: 'structure' as const, elements: row })),
    }));
  });

export const dlmsData: fc.Arbitrary<DlmsData> = fc.letrec<{ data: DlmsData }>((tie) => ({
  data: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    simple(),
    compactArray,
    fc.array(tie('data'), { maxLength: 5 }).map((elements) => ({ type: 'structure' as const, elements })),
    fc.array(tie('data'), { maxLength: 5 }).map((elements) => ({ type: 'array' as const, elements })),
  ),
})).data;

/** Valid bytes with a few random edits: flips, truncation, insertion. Finds more than pure noise. */
export function mutated(valid: Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      fc.constantFrom(...valid),
      fc.array(fc.tuple(fc.nat(), fc.nat(255), fc.constantFrom('set', 'cut', 'insert', 'delete')), {
        minLength: 1,
        maxLength: 4,
      }),
    )
    .map(([base, edits]) => {
      let out = Array.from(base);
      for (const [position, value, edit] of edits) {
        const at = out.length === 0 ? 0 : position % out.length;
        if (edit === 'set') out[at] = value;
        else if (edit === 'cut') out = out.slice(0, at);
        else if (edit === 'insert') out.splice(at, 0, value);
        else out.splice(at, 1);
      }
      return Uint8Array.from(out);
    });
}
