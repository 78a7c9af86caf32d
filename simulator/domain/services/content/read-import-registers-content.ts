import type { Eui } from '../../eui.js';
import { GbcsDecodeError, GbcsEncodeError } from '../../gbcs/apdu/gbcs-codec-error.js';
import { decodeDlmsApdu } from '../../gbcs/payloads/dlms/dlms-apdu.js';
import type { DlmsData } from '../../gbcs/payloads/dlms/dlms-data.js';
import { doubleLongUnsigned, enumValue, integer, structure } from '../../gbcs/payloads/dlms/dlms-values.js';
import {
  decodeEcs17bCommand,
  decodeEcs17bResponse,
  encodeEcs17bCommand,
  encodeEcs17bResponse,
} from '../../gbcs/payloads/esme/ecs17b.js';
import { dlmsFailureResponse, dlmsOutcome, succeeded, type UseCaseContent } from './use-case-content.js';

/** DLMS units (blue book): 30 Wh (active energy), 32 varh (reactive energy). */
const UNIT_WH = 30;
const UNIT_VARH = 32;

function party(value: Eui | undefined, what: string): Eui {
  if (value === undefined) throw new GbcsEncodeError(`ECS17b: the writer names no ${what}`);
  return value;
}

/**
 * The registers in RTDS's SINGLE layout (GBCS.md §4.3 worked example): structure(1){structure(4){
 * value, {scaler 0, unit Wh}, value, {scaler 0, unit varh}}}. Which GBCS register each value is
 * is UNCONFIRMED (GBCS.md §7.2, §11: "the RTDS structure, copied"); trialsim's meters keep an
 * import active register (`importRegisterWh`) and no reactive one, so the varh value is
 * `importReactiveVarh` when the body has one, else 0.
 */
function registers(body: Readonly<Record<string, unknown>>): DlmsData {
  const wh = Number(body.importRegisterWh);
  const varh = Number(body.importReactiveVarh ?? 0);
  for (const [name, value] of [
    ['importRegisterWh', wh],
    ['importReactiveVarh', varh],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff)
      throw new GbcsEncodeError(`ECS17b: ${name} ${String(value)} is not a double-long-unsigned`);
  }
  const unit = (u: number) => structure(integer(0), enumValue(u));
  return structure(
    structure(doubleLongUnsigned(wh), unit(UNIT_WH), doubleLongUnsigned(varh), unit(UNIT_VARH)),
  );
}

/** The register readings a decrypted ECS17b body holds: every {value, {scaler, unit}} pair. */
export interface RegisterReading {
  readonly value: number;
  readonly scaler: number;
  readonly unit: number;
}

function readings(data: DlmsData, offset: number): RegisterReading[] {
  const fail = (reason: string) => {
    throw new GbcsDecodeError(offset, 'decrypted registers', reason);
  };
  if (data.type !== 'structure' || data.elements.length !== 1) fail('expected structure(1)');
  const inner = (data as Extract<DlmsData, { type: 'structure' }>).elements[0];
  if (inner?.type !== 'structure' || inner.elements.length % 2 !== 0)
    return fail('expected a structure of {value, {scaler, unit}} pairs');
  const out: RegisterReading[] = [];
  for (let i = 0; i < inner.elements.length; i += 2) {
    const value = inner.elements[i];
    const scalerUnit = inner.elements[i + 1];
    if (value?.type !== 'double-long-unsigned' && value?.type !== 'double-long')
      return fail(`register ${i / 2}: expected a double-long value`);
    if (
      scalerUnit?.type !== 'structure' ||
      scalerUnit.elements[0]?.type !== 'integer' ||
      scalerUnit.elements[1]?.type !== 'enum'
    )
      return fail(`register ${i / 2}: expected {integer scaler, enum unit}`);
    out.push({
      value: value.value,
      scaler: scalerUnit.elements[0].value,
      unit: scalerUnit.elements[1].value,
    });
  }
  return out;
}

/**
 * 4.1.1's payload, ECS17b (GBCS.md §4.3, §7.2): the command is a DLMS Data Protection action
 * naming the requesting User and the ESME; the response carries the registers encrypted for the
 * requester, under Z of the ESME's and the requester's KA keys. The DCC cannot read them (it
 * holds no User's KA private key): `decodeResponse` gives the status, the parties and the
 * protected attributes; the User opens them with `openEcs17bRegisters`.
 */
export const ecs17bContent: UseCaseContent = {
  encodeCommand: (_body, { counter, originator, recipient }) =>
    encodeEcs17bCommand(
      { requester: party(originator, 'requester (originator)'), esme: party(recipient, 'ESME (recipient)') },
      counter,
    ),
  decodeCommand: (content, offset) => {
    const { requester, esme } = decodeEcs17bCommand(content, offset);
    return { requester, esme };
  },
  encodeResponse: (body, { counter, originator, recipient: requester, sharedSecretWith }) => {
    const z = requester === undefined ? undefined : sharedSecretWith?.(requester);
    // No KA key for the requester: nothing to encrypt for, so the read fails (the device's
    // authority check already refuses a requester with no KA cell).
    if (!succeeded(body) || z === undefined || originator === undefined || requester === undefined)
      return dlmsFailureResponse(['action'], counter);
    return encodeEcs17bResponse({ esme: originator, requester, registers: registers(body) }, counter, z);
  },
  decodeResponse: (content, offset) => {
    const apdu = decodeDlmsApdu(content, offset);
    const outcome = dlmsOutcome(apdu.apdu === 'access-response' ? apdu.results.map((r) => r.result) : []);
    if (outcome.status !== 'success') return outcome;
    const response = decodeEcs17bResponse(content, offset);
    return {
      status: 'success',
      esme: response.device,
      encryptedFor: response.remoteParty,
      // Decimal text: a GBCS counter is a uint64, beyond what a JSON or CBOR number keeps exact.
      protectionCounter: response.counter.toString(),
      protectedAttributes: Buffer.from(response.protectedAttributes).toString('hex'),
    };
  },
};

/**
 * The requester's side (GBCS.md §4.3): the registers of an ECS17b response content, decrypted
 * with Z of the requester's KA private key and the ESME's KA public key. `importRegisterWh` is
 * the first Wh reading. Throws GbcsDecodeError on malformed content or when the tag does not
 * verify (wrong key, altered bytes).
 */
export function openEcs17bRegisters(
  content: Uint8Array,
  offset: number,
  sharedSecret: Uint8Array,
): { readonly importRegisterWh: number | undefined; readonly readings: readonly RegisterReading[] } {
  const response = decodeEcs17bResponse(content, offset, sharedSecret);
  if (response.registers === null)
    throw new GbcsDecodeError(offset, 'protected attributes', 'the tag does not verify under this key');
  return readRegisters(response.registers, offset);
}

/** The readings of decrypted ECS17b registers; `importRegisterWh` is the first Wh reading. */
export function readRegisters(
  registers: DlmsData,
  offset: number,
): { readonly importRegisterWh: number | undefined; readonly readings: readonly RegisterReading[] } {
  const all = readings(registers, offset);
  return { importRegisterWh: all.find((r) => r.unit === UNIT_WH)?.value, readings: all };
}
