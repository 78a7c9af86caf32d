import { GbcsDecodeError } from './gbcs-codec-error.js';

/** Where one decoded field sits in the message: what `trialsim gbcs decode` prints beside its bytes. */
export interface FieldSpan {
  readonly offset: number;
  readonly length: number;
  readonly name: string;
  /** The value as a reader would say it ("CRA 1 (command)", "0x0059 ECS52"), when it is not just the bytes. */
  readonly value?: string;
}

/**
 * A cursor over message bytes that fails with GbcsDecodeError naming the absolute offset.
 * `base` is the offset of `bytes[0]` in the whole message, so a payload decoder given only the
 * content still reports offsets a user can find in the hex they pasted.
 */
export class ByteReader {
  private at = 0;
  readonly spans: FieldSpan[] = [];

  constructor(
    readonly bytes: Uint8Array,
    readonly base = 0,
  ) {}

  /** Absolute offset of the next byte. */
  get offset(): number {
    return this.base + this.at;
  }

  get remaining(): number {
    return this.bytes.length - this.at;
  }

  /** Relative position, for slicing `bytes`. */
  get position(): number {
    return this.at;
  }

  fail(field: string, reason: string, offset = this.offset): never {
    throw new GbcsDecodeError(offset, field, reason);
  }

  byte(field: string): number {
    if (this.at >= this.bytes.length) this.fail(field, 'message ends here (1 more byte needed)');
    return this.bytes[this.at++] as number;
  }

  /** The next byte without consuming it, or undefined at the end. */
  peek(): number | undefined {
    return this.bytes[this.at];
  }

  take(length: number, field: string): Uint8Array {
    if (length > this.remaining) {
      this.fail(field, `${length} bytes needed, only ${this.remaining} left`);
    }
    const out = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }

  /** A byte that must have one value (a tag, a fixed length). */
  expect(value: number, field: string, what = `0x${hex2(value)}`): void {
    const offset = this.offset;
    const got = this.byte(field);
    if (got !== value) this.fail(field, `expected ${what}, got 0x${hex2(got)}`, offset);
  }

  /** An unsigned big-endian integer of 1 to 6 bytes. */
  uint(size: number, field: string): number {
    const bytes = this.take(size, field);
    let value = 0;
    for (const b of bytes) value = value * 256 + b;
    return value;
  }

  uint64(field: string): bigint {
    const bytes = this.take(8, field);
    let value = 0n;
    for (const b of bytes) value = (value << 8n) | BigInt(b);
    return value;
  }

  /**
   * A DER-style length (GBCS.md §1). Only the shortest form is accepted: a non-minimal length
   * would decode but not re-encode to the same bytes, and no RTDS header writes one.
   * `allowLongForm` admits `82 00 CA`-style lengths, which RTDS devices write inside CS02b
   * responses (GBCS.md §7.8).
   */
  derLength(field: string, allowLongForm = false): number {
    const offset = this.offset;
    const first = this.byte(field);
    if (first < 0x80) return first;
    const size = first & 0x7f;
    if (size === 0) this.fail(field, 'indefinite length (0x80) is not allowed in GBCS', offset);
    if (size > 4) this.fail(field, `length of ${size} bytes is too long (at most 4)`, offset);
    const value = this.uint(size, field);
    if (!allowLongForm && (value < 0x80 || (size > 1 && value < 256 ** (size - 1)))) {
      this.fail(field, `length ${value} is not in its shortest form`, offset);
    }
    return value;
  }

  /**
   * Records a field span from `start` (absolute) to the current offset. `value` may be a function
   * that describes the field when the span's value is first read: only inspection reads spans,
   * while every message a party receives is decoded, so describing each field up front (a date
   * through toISOString, a counter through BigInt's toString) was work thrown away (#21).
   */
  span(name: string, start: number, value?: string | (() => string)): void {
    const offset = start;
    const length = this.offset - start;
    if (value === undefined) this.spans.push({ offset, length, name });
    else if (typeof value === 'string') this.spans.push({ offset, length, name, value });
    else {
      this.spans.push({
        offset,
        length,
        name,
        get value(): string {
          const described = value();
          Object.defineProperty(this, 'value', { value: described, enumerable: true });
          return described;
        },
      });
    }
  }

  /** Fails unless every byte has been read. */
  end(field: string): void {
    if (this.remaining !== 0) this.fail(field, `${this.remaining} unexpected bytes after the end`);
  }
}

export function hex2(byte: number): string {
  return byte.toString(16).padStart(2, '0').toUpperCase();
}
