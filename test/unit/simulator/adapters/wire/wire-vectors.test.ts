import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeControl } from '../../../../../harness/dut/dut-control.js';
import { FrameDecoder } from '../../../../../simulator/adapters/serial/serial-frame.js';
import { decodeEnvelope, decodeGbcsPayload } from '../../../../../simulator/adapters/wire/envelope.js';
import { checkMac } from '../../../../../simulator/domain/gbcs/protection/protect.js';
import { p256Spki } from '../../../../../simulator/domain/smki/key-encoding.js';
import {
  buildVectorFile,
  CONTROL_CASES,
  computeControlCase,
  computeGbcsCase,
  GBCS_CASES,
  hex,
  PARTIES,
  payloadOf,
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

      it('payload, protection, envelope and serial frame recompute to the expected bytes', () => {
        expect(vector?.expected.payloadCbor).toBe(hex(computed.payloadBytes));
        expect(vector?.expected.envelopeCbor).toBe(hex(computed.envelopeBytes));
        expect(vector?.expected.serialFrame).toBe(hex(computed.serialFrame));
      });

      it('a receiver reading only the expected bytes gets back the inputs and accepts the protection', () => {
        const envelope = decodeEnvelope(bytes(vector?.expected.envelopeCbor ?? ''));
        if (envelope.kind !== 'gbcs') throw new Error(`kind ${envelope.kind}`);
        expect(hex(envelope.message.payload)).toBe(vector?.expected.payloadCbor);
        expect(decodeGbcsPayload(envelope.message.payload)).toEqual(payloadOf(input.payload));
        const payload = envelope.message.payload;
        if ('signedBy' in input.protection) {
          // Checked with node:crypto directly (IEEE P1363 r‖s over SHA-256), not the code that signed.
          const key = createPublicKey({
            key: Buffer.from(p256Spki(PARTIES[input.protection.signedBy].ds.publicKey)),
            format: 'der',
            type: 'spki',
          });
          expect(
            verify(
              'sha256',
              payload,
              { key, dsaEncoding: 'ieee-p1363' },
              envelope.message.signature as Uint8Array,
            ),
          ).toBe(true);
        } else {
          // The recipient's side of ECDH: its own KA private key, the sender's KA public key.
          const sender = PARTIES[input.protection.macBy];
          const recipient =
            input.protection.macBy === 'esme' ? PARTIES[input.payload.recipient] : PARTIES.esme;
          const context = {
            originator: PARTIES[input.payload.originator].eui,
            recipient: PARTIES[input.payload.recipient].eui,
            kind: input.protection.kind,
            counter: BigInt(input.payload.counter),
          };
          const mac = envelope.message.mac as Uint8Array;
          expect(checkMac(recipient.ka.privateKey, sender.ka.publicKey, context, payload, mac)).toBe(true);
          const flipped = Uint8Array.from(payload);
          flipped[3] = (flipped[3] as number) ^ 1;
          expect(checkMac(recipient.ka.privateKey, sender.ka.publicKey, context, flipped, mac)).toBe(false);
        }
        const frames = new FrameDecoder().push(bytes(vector?.expected.serialFrame ?? ''));
        expect(frames).toEqual([
          { kind: 'frame', type: 'wan', body: bytes(vector?.expected.envelopeCbor ?? '') },
        ]);
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
    // 8.1.1 payload starts: map(7), "cra", 1, "originator", bytes(8) 90 b3 d5 1f 30 01 00 00 (major type 2, untagged).
    expect(
      file.gbcs[0]?.expected.payloadCbor.startsWith(
        'a7' + '63637261' + '01' + '6a6f726967696e61746f72' + '48' + '90b3d51f30010000',
      ),
    ).toBe(true);
    // Counter 2^32 + 1: 1b + 8 bytes (a CBOR integer, not a float).
    expect(file.gbcs[4]?.expected.payloadCbor).toContain('67636f756e746572' + '1b0000000100000001');
    expect(file.cbor.map((c) => c.expected)).toEqual(['1affffffff', '1b0000000100000000']);
  });
});
