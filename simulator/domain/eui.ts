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
  for (let i = 0; i < 8; i++)
    bytes[i] = (hexValue(eui.charCodeAt(i * 3)) << 4) | hexValue(eui.charCodeAt(i * 3 + 1));
  return bytes;
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
