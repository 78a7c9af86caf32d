/**
 * Consistent Overhead Byte Stuffing (Cheshire & Baker, 1999): removes every 0x00 from a block so
 * that 0x00 can delimit frames on a serial line (PROTOCOL.md §9.1). Overhead: one byte per 254
 * bytes of input, plus one.
 */

/** Encodes `data`; the result contains no 0x00 byte and does not include the delimiter. */
export function cobsEncode(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + Math.ceil(data.length / 254) + 1);
  let codeAt = 0;
  let write = 1;
  let code = 1;
  for (const byte of data) {
    if (byte === 0) {
      out[codeAt] = code;
      codeAt = write++;
      code = 1;
      continue;
    }
    out[write++] = byte;
    code++;
    if (code === 0xff) {
      out[codeAt] = code;
      codeAt = write++;
      code = 1;
    }
  }
  out[codeAt] = code;
  return out.subarray(0, write);
}

/** Decodes one COBS block (without its delimiter); undefined if it is not valid COBS. */
export function cobsDecode(block: Uint8Array): Uint8Array | undefined {
  const out = new Uint8Array(block.length);
  let write = 0;
  let read = 0;
  while (read < block.length) {
    const code = block[read] as number;
    // A 0x00 inside a block, or a code pointing past the end, means line noise or a cut frame.
    if (code === 0 || read + code > block.length) return undefined;
    for (let i = 1; i < code; i++) {
      const byte = block[read + i] as number;
      if (byte === 0) return undefined;
      out[write++] = byte;
    }
    read += code;
    if (code !== 0xff && read < block.length) out[write++] = 0;
  }
  return out.subarray(0, write);
}
