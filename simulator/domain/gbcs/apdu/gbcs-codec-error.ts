import { TrialsimError } from '../../../errors.js';

/**
 * Bytes that are not a GBCS message (or payload) trialsim can read. Every decoder in
 * simulator/domain/gbcs throws only this, so a caller (device, DCC, `trialsim gbcs decode`) can
 * tell "malformed input" from a bug, and the user learns where: the byte offset from the start
 * of the message and the field being read.
 */
export class GbcsDecodeError extends TrialsimError {
  constructor(
    /** Offset of the offending byte from the start of the whole message. */
    readonly offset: number,
    /** The field being read, in GBCS.md's words ("originator system title", "content length"). */
    readonly field: string,
    /** What was wrong, without the position (the message adds it). */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('GBCS_MALFORMED', `GBCS malformed at byte offset ${offset} (${field}): ${reason}`, options);
  }
}

/** A value a caller asked an encoder to write that GBCS cannot carry (a counter above 2^64, a 7-byte EUI). */
export class GbcsEncodeError extends TrialsimError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('GBCS_INVALID_FIELD', message, options);
  }
}
