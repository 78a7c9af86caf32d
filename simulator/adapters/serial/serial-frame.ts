import { cobsDecode, cobsEncode } from './cobs.js';
import { crc32 } from './crc32.js';

/**
 * The serial framing (PROTOCOL.md §9): every frame on the line is
 *
 *   00 ‖ COBS( type (1) ‖ body ‖ CRC-32(type ‖ body), 4 bytes big-endian ) ‖ 00
 *
 * The leading 00 lets a receiver drop whatever half-frame or noise came before (a device that
 * has just reset); receivers ignore empty frames, so back-to-back delimiters cost nothing.
 */
export const FRAME_TYPE_CODES = { wan: 0x01, control: 0x02 } as const;
export type FrameType = keyof typeof FRAME_TYPE_CODES;

/** Largest body accepted: a maximal GBCS frame (64 KiB payload) plus envelope overhead. */
export const DEFAULT_MAX_FRAME_BODY = 65 * 1024;

const CRC_BYTES = 4;

export function encodeFrame(type: FrameType, body: Uint8Array): Uint8Array {
  const raw = new Uint8Array(1 + body.length + CRC_BYTES);
  raw[0] = FRAME_TYPE_CODES[type];
  raw.set(body, 1);
  const crc = crc32(raw.subarray(0, 1 + body.length));
  new DataView(raw.buffer).setUint32(1 + body.length, crc, false);
  const stuffed = cobsEncode(raw);
  const out = new Uint8Array(stuffed.length + 2);
  out.set(stuffed, 1);
  return out;
}

export type FramingErrorKind = 'oversize' | 'cobs' | 'short' | 'crc' | 'type';

export interface FramingError {
  readonly kind: FramingErrorKind;
  readonly detail: string;
  /** Bytes of line data the error threw away. */
  readonly discarded: number;
}

export type DecodedItem =
  | { readonly kind: 'frame'; readonly type: FrameType; readonly body: Uint8Array }
  | { readonly kind: 'error'; readonly error: FramingError };

function typeOf(code: number): FrameType | undefined {
  for (const [name, value] of Object.entries(FRAME_TYPE_CODES)) {
    if (value === code) return name as FrameType;
  }
  return undefined;
}

/**
 * Turns a byte stream cut into arbitrary chunks back into frames. Never throws: noise becomes
 * an error item, and decoding resumes at the next 00 (resynchronisation). Memory is bounded by
 * the largest legal frame: a run of bytes longer than that is reported once as `oversize` and
 * skipped up to the next delimiter.
 */
export class FrameDecoder {
  private readonly buffer: Uint8Array;
  private length = 0;
  private skipping = 0;

  constructor(readonly maxBody: number = DEFAULT_MAX_FRAME_BODY) {
    const maxRaw = 1 + maxBody + CRC_BYTES;
    this.buffer = new Uint8Array(maxRaw + Math.ceil(maxRaw / 254) + 1);
  }

  push(chunk: Uint8Array): DecodedItem[] {
    const items: DecodedItem[] = [];
    for (const byte of chunk) {
      if (byte === 0) {
        if (this.skipping > 0) {
          this.skipping = 0;
        } else if (this.length > 0) {
          items.push(this.finish(this.buffer.subarray(0, this.length)));
        }
        this.length = 0;
        continue;
      }
      if (this.skipping > 0) {
        this.skipping++;
        continue;
      }
      if (this.length === this.buffer.length) {
        items.push({
          kind: 'error',
          error: {
            kind: 'oversize',
            detail: `no delimiter within ${this.buffer.length} bytes (largest frame body is ${this.maxBody} bytes)`,
            discarded: this.length,
          },
        });
        this.length = 0;
        this.skipping = 1;
        continue;
      }
      this.buffer[this.length++] = byte;
    }
    return items;
  }

  /** Forgets a partial frame (the port was closed and reopened). */
  reset(): void {
    this.length = 0;
    this.skipping = 0;
  }

  private finish(block: Uint8Array): DecodedItem {
    const error = (kind: FramingErrorKind, detail: string): DecodedItem => ({
      kind: 'error',
      error: { kind, detail, discarded: block.length },
    });
    const raw = cobsDecode(block);
    if (raw === undefined) return error('cobs', `${block.length} bytes are not a valid COBS block`);
    if (raw.length < 1 + CRC_BYTES) return error('short', `frame of ${raw.length} bytes is shorter than 5`);
    if (raw.length > 1 + this.maxBody + CRC_BYTES) {
      return error('oversize', `frame body of ${raw.length - 1 - CRC_BYTES} bytes is over ${this.maxBody}`);
    }
    const end = raw.length - CRC_BYTES;
    const carried = new DataView(raw.buffer, raw.byteOffset, raw.length).getUint32(end, false);
    const computed = crc32(raw.subarray(0, end));
    if (carried !== computed) {
      return error(
        'crc',
        `CRC-32 ${hex(carried)} does not match ${hex(computed)} computed over ${end} bytes`,
      );
    }
    const type = typeOf(raw[0] as number);
    if (type === undefined) return error('type', `unknown frame type 0x${hex(raw[0] as number, 2)}`);
    return { kind: 'frame', type, body: raw.slice(1, end) };
  }
}

function hex(value: number, digits = 8): string {
  return value.toString(16).padStart(digits, '0');
}
