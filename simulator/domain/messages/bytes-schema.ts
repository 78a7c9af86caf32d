import { z } from 'zod';

export interface ByteLimits {
  readonly length?: number;
  readonly maxLength?: number;
}

/**
 * A byte string (CBOR major type 2), optionally of an exact or maximum length. The check is
 * inside `custom` rather than a `.refine`, which would narrow the type to Uint8Array<ArrayBuffer>
 * and stop crypto results (Uint8Array<ArrayBufferLike>) being assigned to it.
 */
export function bytesSchema(what = 'value', limits: ByteLimits = {}): z.ZodType<Uint8Array<ArrayBufferLike>> {
  const rule =
    limits.length !== undefined
      ? ` of exactly ${limits.length} bytes`
      : limits.maxLength !== undefined
        ? ` of at most ${limits.maxLength} bytes`
        : '';
  return z.custom<Uint8Array<ArrayBufferLike>>(
    (value) =>
      value instanceof Uint8Array &&
      (limits.length === undefined || value.length === limits.length) &&
      (limits.maxLength === undefined || value.length <= limits.maxLength),
    `${what} must be a byte string${rule}`,
  );
}
