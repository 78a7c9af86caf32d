import { describe, expect, it } from 'vitest';
import { GbcsDecodeError } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-codec-error.js';
import {
  buildOtaUpgradeImage,
  decodeOtaUpgradeImage,
  encodeOtaUpgradeImage,
  manufacturerImageHash,
  otaImageSignatureValid,
} from '../../../../../../simulator/domain/gbcs/ota/ota-upgrade-image.js';
import { deriveKeyPair } from '../../../../../../simulator/domain/smki/key-pair.js';
import { toHex } from '../gbcs-fixtures.js';

const supplier = deriveKeyPair('ota', 'supplier-ds');
const other = deriveKeyPair('ota', 'other-ds');
// The header fields of the DUIS 11.1 template image (GBCS.md §9).
const header = {
  manufacturerCode: 0x121d,
  imageType: 0,
  fileVersion: 0xacdcacdc,
  zigbeeStackVersion: 2,
  headerString: 'I am a GFI ESME[] firmware image',
  minimumHardwareVersion: 0x1111,
  maximumHardwareVersion: 0x1211,
};

describe('GBCS OTA upgrade image', () => {
  const manufacturerImage = Uint8Array.from({ length: 235 }, (_, i) => i);
  const image = buildOtaUpgradeImage(header, manufacturerImage, supplier.privateKey);

  it('lays out the 60-byte little-endian header as the 11.1 template has it (361 bytes for a 235-byte image)', () => {
    expect(image.length).toBe(361);
    expect(toHex(image.subarray(0, 20))).toBe('1ef1ee0b00013c0004001d120000dcacdcac0200');
    expect(toHex(image.subarray(52, 60))).toBe('6901000011111112');
    expect(image[60 + 235]).toBe(0); // force-replace
    expect(image[60 + 236]).toBe(0x40);
  });

  it('round-trips and the Supplier signature over the manufacturer image verifies', () => {
    const decoded = decodeOtaUpgradeImage(image);
    expect(decoded.header).toEqual(header);
    expect(toHex(decoded.manufacturerImage)).toBe(toHex(manufacturerImage));
    expect(toHex(encodeOtaUpgradeImage(decoded))).toBe(toHex(image));
    expect(otaImageSignatureValid(decoded, supplier.publicKey)).toBe(true);
    expect(otaImageSignatureValid(decoded, other.publicKey)).toBe(false);
  });

  it('a changed manufacturer image byte breaks the signature and changes the CS06 hash', () => {
    const tampered = Uint8Array.from(image);
    tampered[100] = (tampered[100] ?? 0) ^ 1;
    const decoded = decodeOtaUpgradeImage(tampered);
    expect(otaImageSignatureValid(decoded, supplier.publicKey)).toBe(false);
    expect(toHex(manufacturerImageHash(decoded.manufacturerImage))).not.toBe(
      toHex(manufacturerImageHash(manufacturerImage)),
    );
  });

  it('handles images of hundreds of KB', () => {
    const big = new Uint8Array(512 * 1024).fill(0x5a);
    const decoded = decodeOtaUpgradeImage(buildOtaUpgradeImage(header, big, supplier.privateKey));
    expect(decoded.manufacturerImage.length).toBe(big.length);
  });

  it('a total size that disagrees with the file fails at offset 52', () => {
    const err = (() => {
      try {
        decodeOtaUpgradeImage(image.subarray(0, 300));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(GbcsDecodeError);
    expect((err as GbcsDecodeError).offset).toBe(52);
  });
});
