import {
  REPLACEMENT_MODE_RULES,
  REPLACEMENT_MODES,
  type ReplacementMode,
} from '../../device/credential-replacement.js';
import { type Eui, euiFromBytes, euiToBytes, isEui } from '../../eui.js';
import { GbcsEncodeError } from '../../gbcs/apdu/gbcs-codec-error.js';
import {
  readCertificateSubject,
  subjectKeyIdentifier,
} from '../../gbcs/payloads/asn1/certificate-subject.js';
import {
  type CredentialsExecutionOutcome,
  type Cs02bCommand,
  decodeCs02bCommand,
  decodeCs02bResponse,
  encodeCs02bCommand,
  encodeCs02bResponse,
  type OtherRemotePartyFloor,
  type ReplacementOutcome,
} from '../../gbcs/payloads/asn1/cs02b.js';
import type { TrustAnchorCell } from '../../gbcs/payloads/asn1/trust-anchor-cell.js';
import {
  REMOTE_PARTY_ROLE_CODES,
  type RemotePartyRole,
  roleFromCode,
} from '../../smki/remote-party-roles.js';
import type { UseCaseContent } from './use-case-content.js';

type Fields = Readonly<Record<string, unknown>>;

/** CS02b's cell usage: absent is the DEFAULT, management; 1 is prepaymentTopUp (GBCS.md §6.2). */
const PREPAYMENT_TOP_UP = 1;

function records(value: unknown, what: string): Fields[] {
  if (!Array.isArray(value)) throw new GbcsEncodeError(`CS02b: ${what} is not a list`);
  return value.map((v) => (typeof v === 'object' && v !== null ? (v as Fields) : {}));
}

function derBytes(value: unknown, what: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string' && /^([0-9a-fA-F]{2})+$/.test(value))
    return Uint8Array.from(Buffer.from(value, 'hex'));
  // CS02b carries whole X.509 certificates; a bare key has no place in it.
  throw new GbcsEncodeError(`CS02b: ${what} carries no DER certificate`);
}

function roleCode(role: unknown): number {
  const code = REMOTE_PARTY_ROLE_CODES[role as RemotePartyRole];
  if (code === undefined) throw new GbcsEncodeError(`CS02b: "${String(role)}" is not a remote party role`);
  return code;
}

function cellOf(r: Fields): TrustAnchorCell {
  const keyUsage = r.keyUsage === 'keyAgreement' ? 'keyAgreement' : 'digitalSignature';
  const base = { role: roleCode(r.role), keyUsage } as const;
  return r.cellUsage === 'prepaymentTopUp' ? { ...base, cellUsage: PREPAYMENT_TOP_UP } : base;
}

function cellFields(cell: TrustAnchorCell): Record<string, unknown> {
  return {
    role: roleFromCode(cell.role) ?? 'other',
    keyUsage: cell.keyUsage,
    cellUsage:
      cell.cellUsage === undefined
        ? 'management'
        : cell.cellUsage === PREPAYMENT_TOP_UP
          ? 'prepaymentTopUp'
          : `cell usage ${cell.cellUsage}`,
  };
}

/** A party that replaces its own cells gets its floor in [4]; the CoS party sets others' in [6]. */
function selfReplacing(mode: ReplacementMode): boolean {
  const rule = REPLACEMENT_MODE_RULES[mode];
  return rule.replaces.length === 1 && rule.replaces[0] === rule.by;
}

function floorsOf(replacements: readonly Fields[]): Map<number, bigint> {
  const floors = new Map<number, bigint>();
  for (const r of replacements) {
    if (typeof r.originatorCounterFloor !== 'number') continue;
    const role = roleCode(r.role);
    const floor = BigInt(r.originatorCounterFloor);
    if (floors.has(role) && floors.get(role) !== floor)
      throw new GbcsEncodeError(`CS02b carries one floor per party: ${String(r.role)} has two`);
    floors.set(role, floor);
  }
  return floors;
}

function otherFloors(floors: ReadonlyMap<number, bigint>): OtherRemotePartyFloor[] {
  return [...floors].map(([role, floor]) => ({ role, floor, specialistFloors: [] }));
}

function hexBytes(value: unknown): Uint8Array {
  return typeof value === 'string' && /^([0-9a-fA-F]{2})+$/.test(value)
    ? Uint8Array.from(Buffer.from(value, 'hex'))
    : new Uint8Array(0);
}

/** Empty where the device knows nothing (no cell held, or a key that was not one). */
function subjectIds(eui: unknown, publicKey: unknown): [Uint8Array, Uint8Array] {
  const key = hexBytes(publicKey);
  return [
    typeof eui === 'string' && isEui(eui) ? euiToBytes(eui as Eui) : new Uint8Array(0),
    key.length === 0 ? key : subjectKeyIdentifier(key),
  ];
}

/** DUIS's ExecutionDateTime as CS02b's GeneralizedTime, whole seconds (GBCS.md §6.2). */
function executionDate(value: unknown): Date | undefined {
  if (value === undefined) return undefined;
  const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at))
    throw new GbcsEncodeError(`CS02b executionDateTime "${String(value)}" is not a date-time`);
  return new Date(Math.floor(at / 1000) * 1000);
}

function outcomeOf(r: Fields): ReplacementOutcome {
  const [existingSubjectUniqueId, existingSubjectKeyId] = subjectIds(r.replacedEui, r.replacedPublicKey);
  const [replacingSubjectUniqueId, replacingSubjectKeyId] = subjectIds(r.eui, r.publicKey);
  return {
    affectedCell: cellOf(r),
    status: typeof r.status === 'number' ? r.status : 127,
    existingSubjectUniqueId,
    existingSubjectKeyId,
    replacingSubjectUniqueId,
    replacingSubjectKeyId,
  };
}

/**
 * CS02b's execution outcome from a device's body (`results`, `status`): what the immediate
 * response and the 0x00CB alert both carry (GBCS.md §7.8). The floor changes are named only when
 * the replacements took effect.
 */
export function credentialsOutcome(
  body: Readonly<Record<string, unknown>>,
  mode: number,
  counter: bigint,
): CredentialsExecutionOutcome {
  const results = Array.isArray(body.results) ? records(body.results, 'results') : [];
  return {
    authorisingRemotePartySeqNumber: counter,
    mode,
    remotePartyFloorChanges: body.status === 'success' ? otherFloors(floorsOf(results)) : [],
    replacementOutcomes: results.map(outcomeOf),
  };
}

/** A device's body from CS02b's execution outcome: `success` when every outcome is 0. */
export function credentialsOutcomeFields(outcome: CredentialsExecutionOutcome): Record<string, unknown> {
  const results = outcome.replacementOutcomes.map((o) => ({
    ...cellFields(o.affectedCell),
    eui: o.replacingSubjectUniqueId.length === 8 ? euiFromBytes(o.replacingSubjectUniqueId) : '',
    status: o.status,
  }));
  const success = results.length > 0 && results.every((r) => r.status === 0);
  return {
    status: success ? 'success' : 'failure',
    replacementMode: REPLACEMENT_MODES[outcome.mode] ?? `mode ${outcome.mode}`,
    results,
  };
}

/**
 * 6.15.1's and 6.23's payload, CS02b Update Security Credentials (GBCS.md §7.8), in one mode
 * (the message code is 0x0100 + mode). The body's replacements, each `{ role, keyUsage,
 * cellUsage, certificate (DER), originatorCounterFloor? }`, and `certificationPath` (DER
 * certificates) become the replacements and path of the command; the authorising cell is the
 * mode's party's DS management cell, [3] the header counter, the floor [4] when the party
 * replaces its own cells (6.15.1) and [6] when it sets another's (6.23), and [1] when
 * `applyTimeBasedCpvChecks` is false (6.15.1's DUIS ApplyTimeBasedCPVChecks). The device reads
 * each certificate for the subject EUI and the public key it will trust (a certificate it cannot
 * read gives an empty EUI, which it answers badCertificate). A body field CS02b has no place for (`replaces`)
 * does not travel. The response: each replacement's outcome, with the subject unique and key
 * identifiers of the cell before and after; `success` when every outcome is 0. Future-dated, the
 * command carries `executionDateTime` as its last element (99991231235959Z: a cancellation) and a
 * `commandAccepted` body answers `30 02 05 00`.
 */
export function cs02bContent(messageCode: number): UseCaseContent {
  const modeNumber = messageCode - 0x0100;
  const mode = REPLACEMENT_MODES[modeNumber];
  if (mode === undefined) throw new RangeError(`0x${messageCode.toString(16)} is not a CS02b message code`);
  const self = selfReplacing(mode);
  const authorisingCell: TrustAnchorCell = {
    role: REMOTE_PARTY_ROLE_CODES[REPLACEMENT_MODE_RULES[mode].by],
    keyUsage: 'digitalSignature',
  };
  return {
    encodeCommand: (body, { counter }) => {
      const replacements = records(body.replacements, 'replacements');
      const floors = floorsOf(replacements);
      const [ownFloor] = floors.values();
      const command: Cs02bCommand = {
        mode: modeNumber,
        // DUIS ApplyTimeBasedCPVChecks (6.15.1); the CoS party's 6.23 leaves the DEFAULT, true.
        applyTimeBasedCpvChecks: body.applyTimeBasedCpvChecks !== false,
        authorisingCell,
        ...(floors.size === 0
          ? {}
          : self && ownFloor !== undefined
            ? { newRemotePartyFloorSeqNumber: ownFloor }
            : { otherRemotePartyFloors: otherFloors(floors) }),
        replacements: replacements.map((r, i) => ({
          certificate: derBytes(r.certificate, `replacement ${i}`),
          targetCell: cellOf(r),
        })),
        certificationPath: (Array.isArray(body.certificationPath) ? body.certificationPath : []).map((c, i) =>
          derBytes(c, `certification path ${i}`),
        ),
      };
      // Future-dated (and the cancellation at 99991231235959Z): the execution date-time last.
      const when = executionDate(body.executionDateTime);
      return encodeCs02bCommand(
        when === undefined ? command : { ...command, executionDateTime: when },
        counter,
      );
    },
    decodeCommand: (content, offset) => {
      const command = decodeCs02bCommand(content, offset);
      const floorFor = (role: number) =>
        self
          ? command.newRemotePartyFloorSeqNumber
          : command.otherRemotePartyFloors?.find((f) => f.role === role)?.floor;
      return {
        replacementMode: REPLACEMENT_MODES[command.mode] ?? `mode ${command.mode}`,
        replacements: command.replacements.map(({ certificate, targetCell }) => {
          const subject = readCertificateSubject(certificate);
          const floor = floorFor(targetCell.role);
          return {
            ...cellFields(targetCell),
            eui: subject?.eui ?? '',
            publicKey: subject === undefined ? '' : Buffer.from(subject.publicKey).toString('hex'),
            // Whole, because the device validates it (replacement-certificate-checks.ts).
            certificate,
            ...(floor === undefined ? {} : { originatorCounterFloor: Number(floor) }),
          };
        }),
        certificationPath: command.certificationPath,
        applyTimeBasedCpvChecks: command.applyTimeBasedCpvChecks,
        ...(command.executionDateTime === undefined
          ? {}
          : { executionDateTime: command.executionDateTime.toISOString() }),
      };
    },
    encodeResponse: (body, { counter }) =>
      // A future-dated command held, or a cancellation done: `30 02 05 00` (GBCS.md §7.8).
      body.status === 'commandAccepted'
        ? encodeCs02bResponse({ kind: 'accepted' })
        : encodeCs02bResponse({ kind: 'executed', ...credentialsOutcome(body, modeNumber, counter) }),
    decodeResponse: (content, offset, request) => {
      const response = decodeCs02bResponse(content, offset);
      if (response.kind === 'accepted') {
        // The bare acceptance names no time: the DCC repeats the one the User asked for, as for CS06.
        const when = request === undefined ? undefined : executionDate(request.executionDateTime);
        return {
          status: 'commandAccepted',
          replacementMode: mode,
          ...(when === undefined ? {} : { executionDateTime: when.toISOString() }),
        };
      }
      return credentialsOutcomeFields(response);
    },
  };
}
