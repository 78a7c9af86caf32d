import { GbcsEncodeError } from '../apdu/gbcs-codec-error.js';

/**
 * Firmware versions: GBCS carries raw octets (4 in every RTDS example: ECS52, CS06, CCS08); DUIS
 * carries a 1–8 character `FirmwareVersion` string; trialsim's scenarios and device models write
 * dotted versions ("0.9.0"). How the DCC maps octets to the DUIS string is UNCONFIRMED
 * (GBCS.md §11 suggests upper-case hex). Both text forms map to the same 4 octets here:
 * - `hexUpperCase`: 8 hex digits ↔ 4 octets ("0123ABCD" ↔ 01 23 AB CD);
 * - `dotted`: up to 4 decimal parts, one octet each, zero-padded on the right ("0.9.0" ↔
 *   00 09 00 00); printed with at least three parts, the fourth only when non-zero, so every
 *   three-part version survives the round trip.
 */
export type FirmwareVersionText = 'hexUpperCase' | 'dotted';
export const FIRMWARE_VERSION_LENGTH = 4;

export function firmwareVersionOctets(text: string): Uint8Array {
  if (/^[0-9A-Fa-f]{8}$/.test(text)) return Uint8Array.from(Buffer.from(text, 'hex'));
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new GbcsEncodeError(
      `firmware version "${text}" is neither 8 hex digits nor a dotted version of up to 4 parts 0-255`,
    );
  }
  const octets = new Uint8Array(FIRMWARE_VERSION_LENGTH);
  parts.forEach((p, i) => {
    octets[i] = Number(p);
  });
  return octets;
}

export function firmwareVersionText(octets: Uint8Array, form: FirmwareVersionText): string {
  if (form === 'hexUpperCase' || octets.length !== FIRMWARE_VERSION_LENGTH) {
    return Buffer.from(octets).toString('hex').toUpperCase();
  }
  const parts = Array.from(octets);
  return (parts[3] === 0 ? parts.slice(0, 3) : parts).join('.');
}
