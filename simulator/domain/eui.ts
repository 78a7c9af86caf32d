/**
 * EUI-64 identifiers as GB smart metering writes them: eight upper-case hex octets joined by
 * hyphens, e.g. `90-B3-D5-1F-30-01-00-00` (DCC.md §1).
 */
export type Eui = string & { readonly __brand: 'Eui' };

const EUI_PATTERN = /^[0-9A-F]{2}(-[0-9A-F]{2}){7}$/;

/** "00" … "FF": every message's originator and recipient go through these conversions. */
const OCTET_TEXT = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0').toUpperCase());

export function isEui(text: string): text is Eui {
  return EUI_PATTERN.test(text);
}

/** Accepts upper or lower case, with hyphens, colons or nothing between octets. */
export function parseEui(text: string): Eui {
  if (isEui(text)) return text; // already canonical: the common case on every topic and header
  const hex = text.replace(/[-:]/g, '').toUpperCase();
  if (!/^[0-9A-F]{16}$/.test(hex)) {
    throw new RangeError(`not an EUI-64: "${text}" (expected eight hex octets like 90-B3-D5-1F-30-01-00-00)`);
  }
  return hex.match(/../g)?.join('-') as Eui;
}

export function euiToBytes(eui: Eui): Uint8Array {
  const bytes = new Uint8Array(8);
  writeEuiBytes(eui, bytes, 0);
  return bytes;
}

/** The 8 bytes of `eui` written at `at` in `out`: for callers filling one array with several fields. */
export function writeEuiBytes(eui: Eui, out: Uint8Array, at: number): void {
  for (let i = 0; i < 8; i++)
    out[at + i] = (hexValue(eui.charCodeAt(i * 3)) << 4) | hexValue(eui.charCodeAt(i * 3 + 1));
}

/**
 * Writes the 8 bytes of `text` at `at` in `out` if it is a canonical EUI (isEui), checking as it
 * goes; false, with `out` partly written, if it is not. One pass instead of isEui's regular
 * expression and then the conversion: every MAC writes three system titles (#21).
 */
export function writeCanonicalEuiBytes(text: string, out: Uint8Array, at: number): boolean {
  if (text.length !== 23) return false;
  for (let i = 0; i < 8; i++) {
    const high = upperHexValue(text.charCodeAt(i * 3));
    const low = upperHexValue(text.charCodeAt(i * 3 + 1));
    if (high < 0 || low < 0 || (i < 7 && text.charCodeAt(i * 3 + 2) !== 0x2d)) return false;
    out[at + i] = (high << 4) | low;
  }
  return true;
}

/** 0-15 for the char code of 0-9 or A-F (EUI_PATTERN's digits), -1 for anything else. */
function upperHexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}

/** 0-15 for a hex digit's char code (either case); an Eui holds nothing else. */
function hexValue(code: number): number {
  return code <= 0x39 ? code - 0x30 : (code | 0x20) - 0x57;
}

export function euiFromBytes(bytes: Uint8Array): Eui {
  if (bytes.length !== 8) throw new RangeError(`an EUI-64 has 8 bytes, got ${bytes.length}`);
  let text = OCTET_TEXT[bytes[0] as number] as string;
  for (let i = 1; i < 8; i++) text += `-${OCTET_TEXT[bytes[i] as number]}`;
  return text as Eui;
}
