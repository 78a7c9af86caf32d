import { describe, expect, it } from 'vitest';
import {
  encodeUnsignedImage,
  firmwareImageHash,
  parseFirmwareImage,
  toHex,
} from '../../../../../simulator/domain/firmware/firmware-image.js';
import {
  buildSignedImage,
  verifyImageSignature,
} from '../../../../../simulator/domain/firmware/firmware-signing.js';
import { MANUFACTURER, STRANGER } from '../../../../support/device-fixture.js';

const HEADER = {
  manufacturer: 'Acme Meters Ltd',
  imageType: 1,
  firmwareVersion: '1.0.0',
  hardwareVersions: ['1.0', '1.1'],
};
const BODY = new Uint8Array(100).map((_, i) => i);

describe('FIRMWARE-IMAGE.md - layout', () => {
  it('round-trips header, body and signature', () => {
    const image = buildSignedImage(HEADER, BODY, MANUFACTURER.privateKey);
    const parsed = parseFirmwareImage(image);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.image.header).toEqual(HEADER);
    expect([...parsed.image.body]).toEqual([...BODY]);
    expect(parsed.image.signature.length).toBe(64);
    expect(image.length).toBe(parsed.image.signed.length + 64);
  });

  it('writes the documented header bytes', () => {
    const unsigned = encodeUnsignedImage(HEADER, BODY);
    expect([...unsigned.subarray(0, 5)]).toEqual([0x54, 0x53, 0x46, 0x57, 1]);
    const headerLength = (unsigned[5] as number) * 256 + (unsigned[6] as number);
    expect(headerLength).toBe(4 + 1 + 2 + 2 + (1 + 15) + (1 + 5) + 1 + 2 * (1 + 3) + 4);
    expect((unsigned[7] as number) * 256 + (unsigned[8] as number)).toBe(1);
    expect(new TextDecoder().decode(unsigned.subarray(10, 25))).toBe('Acme Meters Ltd');
    expect(unsigned.length).toBe(headerLength + BODY.length);
  });

  it('image hash is SHA-256 of the whole image, so it changes with the signature', () => {
    const a = buildSignedImage(HEADER, BODY, MANUFACTURER.privateKey);
    const b = buildSignedImage(HEADER, BODY, STRANGER.ds.privateKey);
    expect(toHex(firmwareImageHash(a))).toMatch(/^[0-9a-f]{64}$/);
    expect(toHex(firmwareImageHash(a))).not.toBe(toHex(firmwareImageHash(b)));
    expect(toHex(firmwareImageHash(a))).toBe(
      toHex(firmwareImageHash(buildSignedImage(HEADER, BODY, MANUFACTURER.privateKey))),
    );
  });

  it.each([
    ['truncated', (img: Uint8Array) => img.subarray(0, img.length - 1)],
    ['bad magic', (img: Uint8Array) => Uint8Array.from(img, (b, i) => (i === 0 ? 0 : b))],
    ['unknown version', (img: Uint8Array) => Uint8Array.from(img, (b, i) => (i === 4 ? 2 : b))],
    ['header length off by one', (img: Uint8Array) => Uint8Array.from(img, (b, i) => (i === 6 ? b + 1 : b))],
    ['extra byte', (img: Uint8Array) => Uint8Array.from([...img, 0])],
    ['empty', () => new Uint8Array(0)],
  ])('rejects a malformed image (%s) without throwing', (_name, mutate) => {
    const image = buildSignedImage(HEADER, BODY, MANUFACTURER.privateKey);
    expect(parseFirmwareImage(mutate(image)).ok).toBe(false);
  });

  it('the signature verifies only with the manufacturer key and only over the exact bytes', () => {
    const image = buildSignedImage(HEADER, BODY, MANUFACTURER.privateKey);
    const parsed = parseFirmwareImage(image);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(verifyImageSignature(parsed.image, MANUFACTURER.publicKey)).toBe(true);
    expect(verifyImageSignature(parsed.image, STRANGER.ds.publicKey)).toBe(false);
    const tampered = Uint8Array.from(image);
    const last = parsed.image.signed.length - 1;
    tampered[last] = (tampered[last] as number) ^ 1;
    const reparsed = parseFirmwareImage(tampered);
    expect(reparsed.ok && verifyImageSignature(reparsed.image, MANUFACTURER.publicKey)).toBe(false);
  });

  it('refuses header fields the format cannot carry', () => {
    expect(() => encodeUnsignedImage({ ...HEADER, firmwareVersion: '123456789' }, BODY)).toThrow(RangeError);
    expect(() => encodeUnsignedImage({ ...HEADER, hardwareVersions: [] }, BODY)).toThrow(RangeError);
    expect(() => encodeUnsignedImage({ ...HEADER, imageType: 70_000 }, BODY)).toThrow(RangeError);
  });
});
