import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeControl } from '../../../../../harness/dut/dut-control.js';
import { FrameDecoder } from '../../../../../simulator/adapters/serial/serial-frame.js';
import { decodeContentBody } from '../../../../../simulator/adapters/wire/envelope.js';
import { decodeGbcsMessage } from '../../../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import { checkGbcsMac } from '../../../../../simulator/domain/gbcs/protection/gbcs-protect.js';
import { p256Spki } from '../../../../../simulator/domain/smki/key-encoding.js';
import {
  buildVectorFile,
  CONTROL_CASES,
  computeControlCase,
  computeGbcsCase,
  GBCS_CASES,
  hex,
  PARTIES,
} from '../../../../support/vectors/wire-vector-cases.js';

const file = JSON.parse(
  readFileSync(new URL('../../../../../fixtures/test-vectors/wire-envelopes.json', import.meta.url), 'utf8'),
) as ReturnType<typeof buildVectorFile>;
const bytes = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));

describe('PROTOCOL §11 - wire test vectors (fixtures/test-vectors/wire-envelopes.json)', () => {
  it('the file is exactly what the generator writes (regenerate only on purpose)', () => {
    expect(file).toEqual(JSON.parse(JSON.stringify(buildVectorFile())));
  });

  describe.each(GBCS_CASES.map((c, i) => [c.name, c, file.gbcs[i]] as const))(
    '%s',
    (_name, input, vector) => {
      const computed = computeGbcsCase(input);

      it('content, APDU and serial frame recompute to the expected bytes', () => {
        expect(vector?.expected.contentCbor).toBe(hex(computed.contentBytes));
        expect(vector?.expected.apdu).toBe(hex(computed.apdu));
        expect(vector?.expected.serialFrame).toBe(hex(computed.serialFrame));
      });

      it('a receiver reading only the expected bytes gets back the header and body and accepts the protection', () => {
        const message = decodeGbcsMessage(bytes(vector?.expected.apdu ?? ''));
        const { apdu } = message;
        expect([
          apdu.cra,
          apdu.counter,
          apdu.originator,
          apdu.recipient,
          apdu.otherInformation.messageCode,
        ]).toEqual([
          input.cra,
          input.counter,
          PARTIES[input.originator].eui,
          PARTIES[input.recipient].eui,
          input.messageCode,
        ]);
        expect(decodeContentBody(apdu.content)).toEqual(input.body);
        if (input.protection !== 'maced') {
          // Checked with node:crypto directly (IEEE P1363 r‖s over SHA-256 of the bytes after DF).
          const key = createPublicKey({
            key: Buffer.from(p256Spki(PARTIES[input.originator].ds.publicKey)),
            format: 'der',
            type: 'spki',
          });
          if (apdu.signature.kind !== 'signed') throw new Error('expected a signature');
          expect(
            verify(
              'sha256',
              message.signedBytes,
              { key, dsaEncoding: 'ieee-p1363' },
              apdu.signature.signature,
            ),
          ).toBe(true);
        }
        if (input.protection !== 'deviceSigned') {
          // The recipient's side of ECDH: commands between the device and the ACB, else the two parties.
          const keys =
            input.cra === 'command'
              ? {
                  ownKaPrivateKey: PARTIES[input.recipient].ka.privateKey,
                  peerKaPublicKey: PARTIES.acb.ka.publicKey,
                }
              : {
                  ownKaPrivateKey: PARTIES[input.recipient].ka.privateKey,
                  peerKaPublicKey: PARTIES[input.originator].ka.publicKey,
                };
          expect(checkGbcsMac(message, keys)).toBe('valid');
          const flipped = bytes(vector?.expected.apdu ?? '');
          flipped[40] = (flipped[40] as number) ^ 1;
          expect(checkGbcsMac(decodeGbcsMessage(flipped), keys)).not.toBe('valid');
        } else {
          expect(message.mac).toBeNull();
        }
        const frames = new FrameDecoder().push(bytes(vector?.expected.serialFrame ?? ''));
        expect(frames).toEqual([{ kind: 'frame', type: 'wan', body: bytes(vector?.expected.apdu ?? '') }]);
      });
    },
  );

  it.each(CONTROL_CASES.map((c, i) => [c.name, c, file.control[i]] as const))(
    'control: %s',
    (_name, input, vector) => {
      const computed = computeControlCase(input);
      expect(vector?.expected.cbor).toBe(hex(computed.bytes));
      expect(vector?.expected.serialFrame).toBe(hex(computed.serialFrame));
      expect(decodeControl(bytes(vector?.expected.cbor ?? ''))).toEqual(input.message);
    },
  );

  it('§2 - CBOR settings: text keys, unsigned heads, no tags (checked against hand-assembled bytes)', () => {
    // { "v": 1, "kind": "handled", "sent": 2 } written byte by byte from RFC 8949.
    const handRolled = 'a3' + '6176' + '01' + '646b696e64' + '6768616e646c6564' + '6473656e74' + '02';
    expect(file.control.find((c) => (c.message as { kind: string }).kind === 'handled')?.expected.cbor).toBe(
      handRolled,
    );
    // The 11.2 response's content: map(2), "status", "success", "firmwareVersion", "0.9.0".
    expect(file.gbcs[3]?.expected.contentCbor).toBe(
      'a2' + '66737461747573' + '6773756363657373' + '6f6669726d7761726556657273696f6e' + '65302e392e30',
    );
    // The 11.2 command as GBCS.md §2.5 splits it: DD, five empty strings, no key-info, length,
    // security header 11 00 00 00 00, DF, transaction-id 09 01 ‖ counter 5, the two system titles.
    expect(file.gbcs[2]?.expected.apdu.startsWith('dd000000000000')).toBe(true);
    expect(file.gbcs[2]?.expected.apdu.slice(16, 30)).toBe('1100000000df09');
    expect(file.gbcs[2]?.expected.apdu.slice(30, 48)).toBe('010000000000000005');
    expect(file.cbor.map((c) => c.expected)).toEqual(['1affffffff', '1b0000000100000000']);
  });
});
