import { seedBytes } from '../domain/seed/seed-derivation.js';

const SERIAL_LENGTH = 16;

/**
 * A certificate serial number for `label` under `seed`, as lower-case hex.
 *
 * RFC 5280 §4.1.2.2: positive, at most 20 octets. 16 bytes of seed material (seed-derivation.ts) with the first byte
 * forced to 01xxxxxx: bit 7 clear keeps the INTEGER positive without a 0x00 pad, bit 6 set stops a
 * leading zero byte being stripped — so the hex here is exactly the hex in the certificate.
 */
export function deriveSerialNumber(seed: string, label: string): string {
  const bytes = seedBytes(seed, 'pki/serial', label).subarray(0, SERIAL_LENGTH);
  bytes[0] = ((bytes[0] as number) & 0x3f) | 0x40;
  return bytes.toString('hex');
}
