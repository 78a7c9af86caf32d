import type { ContentCodec } from '../../../ports/content-codec.js';
import type { DeviceType } from '../../device/device-types.js';
import type { Eui } from '../../eui.js';
import { type AccessResult, encodeDlmsApdu, invokeIdFor } from '../../gbcs/payloads/dlms/dlms-apdu.js';
import { NULL_DATA } from '../../gbcs/payloads/dlms/dlms-values.js';

/**
 * What a sender knows when it writes a use case's payload: the transaction counter of the header
 * (the DLMS invoke-id follows it, GBCS.md §5.7), its own clock, and, at the DCC, the device
 * types of the SMI (CCS01 names the joining device's type).
 */
export interface ContentContext {
  /** The header's originator counter (a response: the command's, echoed). */
  readonly counter: bigint;
  /** The sender's clock, ms since the epoch. */
  readonly now: number;
  readonly deviceTypeOf?: (device: Eui) => DeviceType | undefined;
  /**
   * The parties of the message being written (header originator and recipient; at the DCC, the
   * User and the device). ECS17b names them in its protection parameters.
   */
  readonly originator?: Eui;
  readonly recipient?: Eui;
  /**
   * Z, the ECDH shared secret of the writer's KA key and a party's KA key (GBCS.md §4.3), or
   * undefined when the writer holds no KA key for that party. ECS17b encrypts its response with it.
   */
  readonly sharedSecretWith?: (party: Eui) => Uint8Array | undefined;
}

/**
 * One GBCS use case's payload as trialsim's service bodies see it: the DCC writes the command
 * from the SR body and reads the response into the DUIS response body; the device reads the
 * command into the body its execution uses and writes its response body. The bytes are the GBCS
 * payload (DLMS A-XDR or ASN.1 DER, GBCS.md §6) laid out as DCC's RTDS reference messages are;
 * a body field GBCS has no place for does not travel. Decoders throw GbcsDecodeError with the
 * byte offset (`offset`: where the content starts in the APDU).
 */
export interface UseCaseContent {
  encodeCommand(body: Readonly<Record<string, unknown>>, context: ContentContext): Uint8Array;
  decodeCommand(content: Uint8Array, offset: number): Record<string, unknown>;
  encodeResponse(body: Readonly<Record<string, unknown>>, context: ContentContext): Uint8Array;
  /**
   * `request`: the body of the SR the command came from, when the reader knows it (the DCC does;
   * a DUIS response may repeat what the User asked, CS06's future-dated execution time).
   */
  decodeResponse(
    content: Uint8Array,
    offset: number,
    request?: Readonly<Record<string, unknown>>,
  ): Record<string, unknown>;
}

/** A service module's payload forms, by GBCS message code. */
export type UseCaseContents = ReadonlyMap<number, UseCaseContent>;

/**
 * Where a use case's content has no GBCS form in trialsim (gas, the alerts GNCA and 0x00CB, the
 * private codes of simulator/PROTOCOL.md §5), the body travels as trialsim's CBOR map instead.
 */
export type ContentFallback = ContentCodec;

/** The DLMS data-access-result trialsim answers a failed operation with: other-reason (250). */
export const DLMS_OTHER_REASON = 250;

export function succeeded(body: Readonly<Record<string, unknown>>): boolean {
  return body.status === 'success';
}

/**
 * The DLMS access-response of a command the device did not carry out: one null datum and the
 * data-access-result other-reason per operation (trialsim's devices fail a use case whole).
 */
export function dlmsFailureResponse(kinds: readonly AccessResult['kind'][], counter: bigint): Uint8Array {
  return encodeDlmsApdu({
    apdu: 'access-response',
    invokeId: invokeIdFor(counter),
    dateTime: null,
    specifications: null,
    data: kinds.map(() => NULL_DATA),
    results: kinds.map((kind) => ({ kind, result: DLMS_OTHER_REASON })),
  });
}

/** The body a DLMS response's results give: success when every operation succeeded. */
export function dlmsOutcome(results: readonly number[]): Record<string, unknown> {
  const failed = results.find((r) => r !== 0);
  return failed === undefined ? { status: 'success' } : { status: 'failure', result: failed };
}
