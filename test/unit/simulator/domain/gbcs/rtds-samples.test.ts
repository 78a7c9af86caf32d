import { describe, expect, it } from 'vitest';
import type { Eui } from '../../../../../simulator/domain/eui.js';
import { encodeDlmsDateTime } from '../../../../../simulator/domain/gbcs/apdu/dlms-date-time.js';
import { decodeGbcsMessage } from '../../../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import { encodeGeneralSigning } from '../../../../../simulator/domain/gbcs/apdu/general-signing.js';
import { verifyWithKeyStore } from '../../../../../simulator/domain/gbcs/keystore/message-verification.js';
import { encodeMacProtected } from '../../../../../simulator/domain/gbcs/protection/gbcs-protect.js';
import { formatMessageCode } from '../../../../../simulator/domain/gbcs/use-cases/use-case-catalogue.js';
import { rtdsKeyStore, rtdsSamples, toHex } from './gbcs-fixtures.js';

const ACB = '90-B3-D5-1F-30-00-00-02' as Eui;
const keys = rtdsKeyStore();
const samples = rtdsSamples();

describe('RTDS 4.5.0 sample messages', () => {
  it('are all present (16 files)', () => {
    expect(samples).toHaveLength(16);
  });

  describe.each(samples.map((s) => [s.name, s] as const))('%s', (_name, sample) => {
    const decoded = decodeGbcsMessage(sample.bytes);
    const h = sample.expected.header;

    it('decodes to the header fields gbcs-parser and an independent decoder agree on', () => {
      const info = decoded.apdu.otherInformation;
      expect({
        craFlag: { command: 1, response: 2, alert: 3 }[decoded.apdu.cra],
        originatorCounter: decoded.apdu.counter.toString(),
        originatorSystemTitle: decoded.apdu.originator,
        recipientSystemTitle: decoded.apdu.recipient,
        dateTime:
          decoded.apdu.dateTime === null
            ? null
            : Array.from(encodeDlmsDateTime(decoded.apdu.dateTime), (b) =>
                b.toString(16).padStart(2, '0').toUpperCase(),
              ).join(' '),
        messageCode: formatMessageCode(info.messageCode),
        supplementaryRemotePartyId: info.form === 'message-code' ? null : info.remotePartyId,
        supplementaryRemotePartyCounter:
          info.form === 'remote-party' ? info.remotePartyCounter.toString() : null,
        contentLength: decoded.apdu.content.length,
      }).toEqual({
        craFlag: h.craFlag,
        originatorCounter: h.originatorCounter,
        originatorSystemTitle: h.originatorSystemTitle,
        recipientSystemTitle: h.recipientSystemTitle,
        dateTime: h.dateTime,
        messageCode: h.messageCode,
        supplementaryRemotePartyId: h.supplementaryRemotePartyId,
        supplementaryRemotePartyCounter: h.supplementaryRemotePartyCounter,
        contentLength: h.contentLength,
      });
      const signature = decoded.apdu.signature.kind;
      expect(signature).toBe(
        h.signatureField.startsWith('40')
          ? 'signed'
          : h.signatureField.startsWith('00')
            ? 'empty'
            : 'omitted',
      );
      expect(decoded.frame).toBe(h.frame.startsWith('MAC header') ? 'mac-header' : 'general-signing');
    });

    it('re-encodes its general-signing APDU byte for byte from the decoded fields', () => {
      expect(toHex(encodeGeneralSigning(decoded.apdu))).toBe(toHex(decoded.generalSigningBytes));
    });

    it('verifies with the published keys (MAC and signature)', () => {
      const result = verifyWithKeyStore(decoded, keys, ACB);
      expect(result.mac).toBe(decoded.mac === null ? 'absent' : 'valid');
      expect(result.signature).toBe(decoded.apdu.signature.kind === 'signed' ? 'valid' : 'absent');
      if (sample.expected.signature)
        expect(decoded.signedBytes.length).toBe(sample.expected.signature.signedLength);
    });

    if (decoded.mac !== null) {
      it('regenerates byte for byte, MAC included, from its decoded fields and a published KA private key', () => {
        // Commands: ACB KA private + device certificate; responses: device (ESME) KA private, or
        // for the CHF's (whose key is not published) the ACB's, its recipient.
        const { originator, recipient, cra } = decoded.apdu;
        const sides = cra === 'command' ? [ACB, recipient] : [originator, recipient];
        const [a, b] = sides.map((eui) => keys.find(eui as Eui, 'ka'));
        const own = a?.privateKey ? a : b;
        const peer = own === a ? b : a;
        if (own?.privateKey === undefined || peer === undefined)
          throw new Error('no published key for this MAC');
        const rebuilt = encodeMacProtected(decoded.apdu, {
          ownKaPrivateKey: own.privateKey,
          peerKaPublicKey: peer.publicKey,
        });
        expect(toHex(rebuilt)).toBe(toHex(sample.bytes));
        expect(toHex(rebuilt.subarray(-12))).toBe(sample.expected.mac?.mac);
      });
    }

    it('a flipped content byte fails the MAC or the signature', () => {
      const tampered = Uint8Array.from(sample.bytes);
      tampered[decoded.contentOffset] = (tampered[decoded.contentOffset] ?? 0) ^ 0x01;
      const result = verifyWithKeyStore(decodeGbcsMessage(tampered), keys, ACB);
      if (decoded.mac !== null) expect(result.mac).toBe('invalid');
      if (decoded.apdu.signature.kind === 'signed') expect(result.signature).toBe('invalid');
    });
  });
});

describe('pre-commands (DUIS CV 4)', () => {
  for (const useCase of ['ECS70Commission_8.1.1', 'CS06_11.3_IMMEDIATE']) {
    it(`${useCase}: the command's general-signing APDU is the pre-command ‖ 40 ‖ signature`, () => {
      const pre = samples.find((s) => s.name.endsWith(`${useCase}_SUCCESS_PRECOMMAND_GBCS.HEX`));
      const command = samples.find((s) => s.name.endsWith(`${useCase}_SUCCESS_COMMAND_GBCS.HEX`));
      if (!pre || !command) throw new Error('sample missing');
      const decodedPre = decodeGbcsMessage(pre.bytes);
      const decodedCommand = decodeGbcsMessage(command.bytes);
      expect(decodedPre.apdu.signature.kind).toBe('omitted');
      expect(toHex(decodedCommand.generalSigningBytes.subarray(0, pre.bytes.length))).toBe(toHex(pre.bytes));
      expect(toHex(decodedPre.signedBytes)).toBe(toHex(decodedCommand.signedBytes));
    });
  }
});
