import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../../../../../simulator/domain/gbcs/apdu/byte-reader.js';
import { decodeGbcsMessage } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import { encodeGeneralSigning } from '../../../../../../simulator/domain/gbcs/apdu/general-signing.js';
import { encodeMacHeader } from '../../../../../../simulator/domain/gbcs/apdu/mac-header.js';
import {
  decodeCs06Command,
  encodeCs06Command,
} from '../../../../../../simulator/domain/gbcs/payloads/asn1/cs06.js';
import {
  type DlmsApdu,
  decodeDlmsApdu,
  encodeDlmsApdu,
} from '../../../../../../simulator/domain/gbcs/payloads/dlms/dlms-apdu.js';
import {
  encodeDlmsData,
  readDlmsData,
} from '../../../../../../simulator/domain/gbcs/payloads/dlms/dlms-data.js';
import {
  checkGbcsMac,
  encodeMacProtected,
} from '../../../../../../simulator/domain/gbcs/protection/gbcs-protect.js';
import { deriveKeyPair } from '../../../../../../simulator/domain/smki/key-pair.js';
import { counter, dlmsData, generalSigning } from './gbcs-arbitraries.js';

const a = deriveKeyPair('round-trip', 'a');
const b = deriveKeyPair('round-trip', 'b');

describe('round trip: decode(encode(x)) = x for generated messages', () => {
  it('general-signing APDUs (every header form, signature field and pre-command)', () => {
    fc.assert(
      fc.property(generalSigning(true), (apdu) => {
        const bytes = encodeGeneralSigning(apdu);
        const decoded = decodeGbcsMessage(bytes);
        expect(decoded.apdu).toEqual(apdu);
        expect(decoded.frame).toBe('general-signing');
        expect(Buffer.from(encodeGeneralSigning(decoded.apdu)).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('MAC-headed messages: the APDU and MAC come back, and the MAC verifies from the other side', () => {
    fc.assert(
      fc.property(generalSigning(false), (apdu) => {
        const bytes = encodeMacProtected(apdu, {
          ownKaPrivateKey: a.privateKey,
          peerKaPublicKey: b.publicKey,
        });
        const decoded = decodeGbcsMessage(bytes);
        expect(decoded.apdu).toEqual(apdu);
        expect(checkGbcsMac(decoded, { ownKaPrivateKey: b.privateKey, peerKaPublicKey: a.publicKey })).toBe(
          'valid',
        );
      }),
      { numRuns: 100 },
    );
  });

  it('a MAC header around a pre-command (no signature field) still decodes as one', () => {
    fc.assert(
      fc.property(generalSigning(true), fc.uint8Array({ minLength: 12, maxLength: 12 }), (apdu, mac) => {
        const decoded = decodeGbcsMessage(encodeMacHeader(encodeGeneralSigning(apdu), mac));
        expect(decoded.apdu).toEqual(apdu);
        expect(decoded.mac).toEqual(mac);
      }),
      { numRuns: 200 },
    );
  });

  it('DLMS Data values', () => {
    fc.assert(
      fc.property(dlmsData, (data) => {
        const reader = new ByteReader(encodeDlmsData(data));
        expect(readDlmsData(reader)).toEqual(data);
        expect(reader.remaining).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('DLMS access-request, access-response and data-notification APDUs', () => {
    const descriptor = fc.record({
      classId: fc.nat(0xffff),
      obis: fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)),
      id: fc.nat(255),
    });
    const spec = fc.oneof(
      fc.record({ kind: fc.constantFrom('get' as const, 'set' as const, 'action' as const), descriptor }),
      fc.record({
        kind: fc.constantFrom('get-with-selection' as const, 'set-with-selection' as const),
        descriptor,
        accessSelector: fc.nat(255),
        accessParameters: dlmsData,
      }),
    );
    const apdu: fc.Arbitrary<DlmsApdu> = fc.oneof(
      fc.array(fc.tuple(spec, dlmsData), { maxLength: 4 }).chain((pairs) =>
        fc.record({
          apdu: fc.constant('access-request' as const),
          invokeId: fc.nat(0xffff_ffff),
          dateTime: fc.constant(null),
          specifications: fc.constant(pairs.map(([s]) => s)),
          data: fc.constant(pairs.map(([, d]) => d)),
        }),
      ),
      fc.record({
        apdu: fc.constant('access-response' as const),
        invokeId: fc.nat(0xffff_ffff),
        dateTime: fc.constant(null),
        specifications: fc.option(fc.array(spec, { maxLength: 3 }), { nil: null }),
        data: fc.array(dlmsData, { maxLength: 4 }),
        results: fc.array(
          fc.record({
            kind: fc.constantFrom('get' as const, 'set' as const, 'action' as const),
            result: fc.nat(255),
          }),
          { maxLength: 4 },
        ),
      }),
      fc.record({
        apdu: fc.constant('data-notification' as const),
        invokeId: fc.nat(0xffff_ffff),
        dateTime: fc.constant(null),
        body: dlmsData,
      }),
    );
    fc.assert(
      fc.property(apdu, (x) => {
        expect(decodeDlmsApdu(encodeDlmsApdu(x))).toEqual(x);
      }),
      { numRuns: 300 },
    );
  });

  it('CS06 commands (DER through asn1js), with and without an execution time', () => {
    const time = fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('9999-12-31T23:59:59Z'),
        noInvalidDate: true,
      })
      .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        counter,
        fc.option(time, { nil: undefined }),
        (imageHash, c, at) => {
          const command = at === undefined ? { imageHash } : { imageHash, executionDateTime: at };
          expect(decodeCs06Command(encodeCs06Command(command, c))).toEqual({ ...command, counter: c });
        },
      ),
      { numRuns: 200 },
    );
  });
});
