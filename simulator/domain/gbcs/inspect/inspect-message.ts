import type { Eui } from '../../eui.js';
import { hex2 } from '../apdu/byte-reader.js';
import { CRA_FLAG } from '../apdu/cra-flag.js';
import { describeDlmsDateTime } from '../apdu/dlms-date-time.js';
import { GbcsDecodeError } from '../apdu/gbcs-codec-error.js';
import { decodeGbcsMessage, type GbcsMessage } from '../apdu/gbcs-message.js';
import type { GbcsKeyStore } from '../keystore/gbcs-keystore.js';
import { type ProtectionStatus, verifyWithKeyStore } from '../keystore/message-verification.js';
import type { SharedSecretSource } from '../protection/shared-secret-cache.js';
import { formatMessageCode, useCaseByCode } from '../use-cases/use-case-catalogue.js';
import type { JsonValue } from './json-view.js';
import { payloadView } from './payload-view.js';

/**
 * What `trialsim gbcs decode` reports for one message: the header, the use case, the payload and
 * the verdict on its MAC and signature. Pure: the CLI only reads input and prints.
 */
export interface GbcsInspection {
  readonly json: { [key: string]: JsonValue };
  readonly message: GbcsMessage;
  readonly bytes: Uint8Array;
  readonly mac: ProtectionStatus;
  readonly signature: ProtectionStatus;
  /** Set when the header decoded but the payload did not. */
  readonly payloadError: GbcsDecodeError | null;
}

export interface InspectOptions {
  readonly keys?: GbcsKeyStore;
  readonly acb: Eui;
  readonly secrets?: SharedSecretSource;
}

/** Throws GbcsDecodeError when the message framing is malformed. */
export function inspectGbcsMessage(bytes: Uint8Array, options: InspectOptions): GbcsInspection {
  const message = decodeGbcsMessage(bytes);
  const { apdu } = message;
  const info = apdu.otherInformation;
  const useCase = useCaseByCode(info.messageCode);
  const verification: { mac: ProtectionStatus; signature: ProtectionStatus; notes: readonly string[] } =
    options.keys
      ? verifyWithKeyStore(message, options.keys, options.acb, options.secrets)
      : {
          mac: message.mac === null ? 'absent' : 'unknown',
          signature: apdu.signature.kind === 'signed' ? 'unknown' : 'absent',
          notes: ['no --keystore given'],
        };
  let payload: JsonValue;
  let payloadError: GbcsDecodeError | null = null;
  try {
    payload = payloadView(message, options.keys);
  } catch (err) {
    if (!(err instanceof GbcsDecodeError)) throw err;
    payloadError = err;
    payload = { error: err.message, offset: err.offset };
  }
  const json: { [key: string]: JsonValue } = {
    length: bytes.length,
    frame: message.frame,
    cra: apdu.cra,
    craFlag: CRA_FLAG[apdu.cra],
    originator: apdu.originator,
    recipient: apdu.recipient,
    counter: apdu.counter.toString(),
    dateTime: apdu.dateTime === null ? null : describeDlmsDateTime(apdu.dateTime),
    messageCode: formatMessageCode(info.messageCode),
    useCase: useCase?.name ?? null,
    useCaseTitle: useCase?.title ?? null,
    preCommand: apdu.signature.kind === 'omitted',
    supplementaryRemotePartyId: info.form === 'message-code' ? null : info.remotePartyId,
    supplementaryRemotePartyCounter:
      info.form === 'message-code' || info.form === 'remote-party-id'
        ? null
        : info.remotePartyCounter.toString(),
    payload,
    mac: verification.mac,
    signature: verification.signature,
    notes: [...verification.notes],
  };
  if (useCase && !useCase.gbcsCompatible) {
    (json.notes as JsonValue[]).push(
      `${useCase.name} is a gas use case: trialsim does not claim GBCS compatibility for it`,
    );
  }
  return { json, message, bytes, mac: verification.mac, signature: verification.signature, payloadError };
}

/** The human view: a field table with offsets, like a small Wireshark. */
export function formatInspection(inspection: GbcsInspection, label: string): string {
  const { json, message, bytes } = inspection;
  const lines = [
    `${label}: ${bytes.length} bytes, ${message.frame === 'mac-header' ? 'MAC header (DD) + general-signing (DF)' : 'general-signing (DF) only'}`,
    `  ${json.useCase ?? 'unknown use case'} ${json.useCaseTitle ?? ''} (${json.messageCode}), ${json.cra}${json.preCommand ? ' (pre-command)' : ''}, counter ${json.counter}`,
    `  ${json.originator} -> ${json.recipient}`,
    '  offset  len  field                            value',
  ];
  for (const f of message.fields) {
    const raw = bytes.subarray(f.offset, f.offset + f.length);
    const shown = Array.from(raw.subarray(0, 16), hex2).join(' ') + (raw.length > 16 ? ' …' : '');
    lines.push(
      `  ${String(f.offset).padStart(6)}  ${String(f.length).padStart(3)}  ${f.name.padEnd(31)}  ${f.value ?? shown}`,
    );
  }
  lines.push(`  MAC        ${inspection.mac}`, `  signature  ${inspection.signature}`);
  for (const note of json.notes as string[]) lines.push(`  note: ${note}`);
  lines.push('  payload:');
  for (const l of JSON.stringify(json.payload, null, 2).split('\n')) lines.push(`    ${l}`);
  return lines.join('\n');
}
