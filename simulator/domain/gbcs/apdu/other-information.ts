import { type Eui, euiFromBytes, writeCanonicalEuiBytes } from '../../eui.js';
import type { ByteReader } from './byte-reader.js';
import { COUNTER_MAX } from './cra-flag.js';
import { encodeDerLength } from './der-length.js';
import { GbcsEncodeError } from './gbcs-codec-error.js';

/**
 * The other-information field of the grouping header, in each form GBCS.md §2.4 lists. The form
 * is told by the length alone, so the union is discriminated by `form` for callers and by length
 * on the wire.
 */
export type OtherInformation =
  /** `02`: message code only — everything a User or a device originates. */
  | { readonly form: 'message-code'; readonly messageCode: number }
  /** `0A`: message code ‖ supplementary remote party ID (an ECS200 alert; out of the suite). */
  | { readonly form: 'remote-party-id'; readonly messageCode: number; readonly remotePartyId: Eui }
  /**
   * `12`: message code ‖ supplementary remote party ID ‖ its counter — the ACB form (§5.3): the
   * ACB originates, the User and the User's DUIS RequestID counter ride here.
   */
  | {
      readonly form: 'remote-party';
      readonly messageCode: number;
      readonly remotePartyId: Eui;
      readonly remotePartyCounter: bigint;
    }
  /** `1A`: the ACB form ‖ supplementary originator counter (unknown-remote-party responses). */
  | {
      readonly form: 'remote-party-originator-counter';
      readonly messageCode: number;
      readonly remotePartyId: Eui;
      readonly remotePartyCounter: bigint;
      readonly originatorCounter: bigint;
    }
  /** Longer than 26: the ACB form ‖ the remote party's KA certificate (DER), unknown remote party. */
  | {
      readonly form: 'remote-party-certificate';
      readonly messageCode: number;
      readonly remotePartyId: Eui;
      readonly remotePartyCounter: bigint;
      readonly remotePartyKaCertificate: Uint8Array;
    };

export function messageCodeOnly(messageCode: number): OtherInformation {
  return { form: 'message-code', messageCode };
}

/** The ACB form of §5.3: `user` is the DUIS User, `userCounter` its RequestID counter. */
export function acbForm(messageCode: number, user: Eui, userCounter: bigint): OtherInformation {
  return { form: 'remote-party', messageCode, remotePartyId: user, remotePartyCounter: userCounter };
}

export function encodeOtherInformation(info: OtherInformation): Uint8Array {
  // The parts in wire order, then one array for length ‖ parts (every message encodes this).
  const parts: Uint8Array[] = [uint16(info.messageCode)];
  if (info.form !== 'message-code') parts.push(eui(info.remotePartyId));
  if (info.form === 'remote-party' || info.form === 'remote-party-originator-counter') {
    parts.push(uint64(info.remotePartyCounter, 'supplementary remote party counter'));
  }
  if (info.form === 'remote-party-originator-counter') {
    parts.push(uint64(info.originatorCounter, 'supplementary originator counter'));
  }
  if (info.form === 'remote-party-certificate') {
    parts.push(uint64(info.remotePartyCounter, 'supplementary remote party counter'));
    if (info.remotePartyKaCertificate.length === 0) {
      throw new GbcsEncodeError('other-information: a remote party KA certificate cannot be empty');
    }
    parts.push(info.remotePartyKaCertificate);
  }
  let bodyLength = 0;
  for (const part of parts) bodyLength += part.length;
  const length = encodeDerLength(bodyLength);
  const out = new Uint8Array(length.length + bodyLength);
  out.set(length, 0);
  let at = length.length;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Reads length ‖ body; the form follows from the length (§2.4). */
export function readOtherInformation(reader: ByteReader): OtherInformation {
  const start = reader.offset;
  const length = reader.derLength('other-information length');
  if (
    length < 2 ||
    (length > 2 && length < 10) ||
    (length > 10 && length < 18) ||
    (length > 18 && length < 26)
  ) {
    reader.fail(
      'other-information length',
      `length ${length} is none of the GBCS forms (2, 10, 18, 26 or more)`,
      start,
    );
  }
  const messageCode = reader.uint(2, 'message code');
  if (length === 2) return { form: 'message-code', messageCode };
  const remotePartyId = euiFromBytes(reader.take(8, 'supplementary remote party ID'));
  if (length === 10) return { form: 'remote-party-id', messageCode, remotePartyId };
  const remotePartyCounter = reader.uint64('supplementary remote party counter');
  if (length === 18) return { form: 'remote-party', messageCode, remotePartyId, remotePartyCounter };
  if (length === 26) {
    const originatorCounter = reader.uint64('supplementary originator counter');
    return {
      form: 'remote-party-originator-counter',
      messageCode,
      remotePartyId,
      remotePartyCounter,
      originatorCounter,
    };
  }
  const remotePartyKaCertificate = Uint8Array.from(reader.take(length - 18, 'remote party KA certificate'));
  return {
    form: 'remote-party-certificate',
    messageCode,
    remotePartyId,
    remotePartyCounter,
    remotePartyKaCertificate,
  };
}

function uint16(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
    throw new GbcsEncodeError(`message code must be an integer in [0, 0xFFFF], got ${value}`);
  }
  return Uint8Array.of(value >> 8, value & 0xff);
}

export function uint64(value: bigint, name: string): Uint8Array {
  const out = new Uint8Array(8);
  writeUint64(value, name, out, 0);
  return out;
}

/** uint64's 8 bytes written at `at` in `out`, for callers filling one array (the MAC's KDF input). */
export function writeUint64(value: bigint, name: string, out: Uint8Array, at: number): void {
  if (typeof value !== 'bigint' || value < 0n || value > COUNTER_MAX) {
    throw new GbcsEncodeError(`${name} must be a bigint in [0, 2^64 - 1], got ${String(value)}`);
  }
  // Two 32-bit halves by hand: a DataView needs out.buffer, and asking a small typed array for
  // its buffer makes V8 move it off its heap, which cost more than the rest of this (#21).
  const high = Number(value >> 32n);
  const low = Number(value & 0xffff_ffffn);
  out[at] = high >>> 24;
  out[at + 1] = high >>> 16;
  out[at + 2] = high >>> 8;
  out[at + 3] = high;
  out[at + 4] = low >>> 24;
  out[at + 5] = low >>> 16;
  out[at + 6] = low >>> 8;
  out[at + 7] = low;
}

export function eui(value: Eui): Uint8Array {
  const out = new Uint8Array(8);
  writeEui(value, out, 0);
  return out;
}

/** eui's 8 bytes written at `at` in `out`, checked as eui checks them. */
export function writeEui(value: Eui, out: Uint8Array, at: number): void {
  if (typeof value !== 'string' || !writeCanonicalEuiBytes(value, out, at)) {
    throw new GbcsEncodeError(
      `an EUI-64 like 90-B3-D5-1F-30-01-00-00 is needed, got ${JSON.stringify(value)}`,
    );
  }
}
