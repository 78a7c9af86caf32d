import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Eui } from '../../../../../../simulator/domain/eui.js';
import { GbcsDecodeError } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-codec-error.js';
import { decodeGbcsMessage } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import { verifyWithKeyStore } from '../../../../../../simulator/domain/gbcs/keystore/message-verification.js';
import {
  checkGbcsSignature,
  preCommandSignature,
  signPreCommand,
} from '../../../../../../simulator/domain/gbcs/protection/gbcs-signature.js';
import { deriveKeyPair } from '../../../../../../simulator/domain/smki/key-pair.js';
import { rtdsKeyStore, rtdsSamples, toHex } from '../gbcs-fixtures.js';

const ACB = '90-B3-D5-1F-30-00-00-02' as Eui;
const keys = rtdsKeyStore();
const protectedSamples = rtdsSamples()
  .map((s) => s.bytes)
  .filter((b) => {
    const m = decodeGbcsMessage(b);
    return m.mac !== null || m.apdu.signature.kind === 'signed';
  });

describe('tampering: no single bit flip in a protected RTDS message goes unnoticed', () => {
  it('a flipped bit makes the message undecodable, or some MAC or signature no longer verifies', () => {
    fc.assert(
      fc.property(fc.constantFrom(...protectedSamples), fc.nat(), fc.nat(7), (bytes, position, bit) => {
        const tampered = Uint8Array.from(bytes);
        const at = position % tampered.length;
        tampered[at] = (tampered[at] ?? 0) ^ (1 << bit);
        let message: ReturnType<typeof decodeGbcsMessage>;
        try {
          message = decodeGbcsMessage(tampered);
        } catch (err) {
          expect(err).toBeInstanceOf(GbcsDecodeError);
          return;
        }
        const verdict = verifyWithKeyStore(message, keys, ACB);
        // Accepted would mean every protection present verifies. An unknown signer (a flipped
        // originator) is not accepted either: the receiver has no key that verifies it.
        const accepted = [verdict.mac, verdict.signature].every((v) => v === 'valid' || v === 'absent');
        expect(accepted).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('pre-command signing (DUIS CV 4/5)', () => {
  const user = deriveKeyPair('pre-command', 'supplier-ds');
  const preCommands = rtdsSamples().filter((s) => s.name.includes('PRECOMMAND'));

  it.each(preCommands.map((s) => [s.name, s] as const))(
    '%s: signed, it is the command APDU and verifies',
    (_n, s) => {
      const command = decodeGbcsMessage(signPreCommand(s.bytes, user.privateKey));
      expect(command.apdu.signature.kind).toBe('signed');
      expect(toHex(command.generalSigningBytes.subarray(0, s.bytes.length))).toBe(toHex(s.bytes));
      expect(checkGbcsSignature(command.signedBytes, command.apdu, user.publicKey)).toBe('valid');
      const withEmpty = Uint8Array.from([...s.bytes, 0x00]);
      expect(toHex(signPreCommand(withEmpty, user.privateKey))).toBe(toHex(command.generalSigningBytes));
    },
  );

  it.each(preCommands.map((s) => [s.name, s] as const))(
    '%s: the CV 5 signature alone is the one the signed command carries, with or without a trailing 00',
    (_n, s) => {
      const command = decodeGbcsMessage(signPreCommand(s.bytes, user.privateKey));
      if (command.apdu.signature.kind !== 'signed') throw new Error('not signed');
      const expected = toHex(command.apdu.signature.signature);
      expect(toHex(preCommandSignature(s.bytes, user.privateKey))).toBe(expected);
      expect(toHex(preCommandSignature(Uint8Array.from([...s.bytes, 0x00]), user.privateKey))).toBe(expected);
    },
  );
});
