/**
 * EUI-64 identifiers as GB smart metering writes them: eight upper-case hex octets joined by
 * hyphens, e.g. `90-B3-D5-1F-30-01-00-00` (DCC.md §1).
 */
export type Eui = string & { readonly __brand: 'Eui' };

const EUI_PATTERN = /^[0-9A-F]{2}(-[0-9A-F]{2}){7}$/;

export function isEui(text: string): text is Eui {
  return EUI_PATTERN.test(text);
}

/** Accepts upper or lower case, with hyphens, colons or nothing between octets. */
export function parseEui(text: string): Eui {
  const hex = text.replace(/[-:]/g, '').toUpperCase();
  if (!/^[0-9A-F]{16}$/.test(hex)) {
    throw new RangeError(`not an EUI-64: "${text}" (expected eight hex octets like 90-B3-D5-1F-30-01-00-00)`);
  }
  return hex.match(/../g)?.join('-') as Eui;
}

export function euiToBytes(eui: Eui): Uint8Array {
  return Uint8Array.from(eui.split('-').map((octet) => Number.parseInt(octet, 16)));
}

export function euiFromBytes(bytes: Uint8Array): Eui {
  if (bytes.length !== 8) throw new RangeError(`an EUI-64 has 8 bytes, got ${bytes.length}`);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join('-') as Eui;
}
