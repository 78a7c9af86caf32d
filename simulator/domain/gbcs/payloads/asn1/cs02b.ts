import * as asn1js from 'asn1js';
import { encodeDerLength } from '../../apdu/der-length.js';
import {
  type DerNode,
  DerReader,
  derBytes,
  derGeneralizedTime,
  derInteger,
  derSequence,
} from './der-values.js';
import {
  encodeTrustAnchorCell,
  readTrustAnchorCell,
  type TrustAnchorCell,
  trustAnchorCellItems,
} from './trust-anchor-cell.js';

/**
 * CS02b Update Security Credentials (GBCS.md §7.8), critical, message code 0x0100 + mode:
 * 0x0102 supplierBySupplier (6.15.1), 0x0103 networkOperatorByNetworkOperator, 0x0107
 * supplierByTransCoS (6.23). The command carries the authorising remote party control, the
 * replacement certificates with their target cells, the certification path, and an optional
 * execution time. The authorising sequence number [3] is the header counter.
 */
export interface SpecialistFloor {
  readonly usage: number;
  readonly floor: bigint;
}

export interface OtherRemotePartyFloor {
  readonly role: number;
  readonly floor: bigint;
  readonly specialistFloors: readonly SpecialistFloor[];
}

export interface Cs02bCommand {
  /** 2 supplierBySupplier, 3 networkOperatorByNetworkOperator, 7 supplierByTransCoS. */
  readonly mode: number;
  /** DUIS ApplyTimeBasedCPVChecks; true is the DEFAULT and is omitted on the wire. */
  readonly applyTimeBasedCpvChecks: boolean;
  readonly authorisingCell: TrustAnchorCell;
  /** [4] DUIS RemotePartyFloorSeqNumber. */
  readonly newRemotePartyFloorSeqNumber?: bigint;
  /** [5] floors for the new party's specialist cells (prepayment top-up). */
  readonly specialistFloors?: readonly SpecialistFloor[];
  /** [6] floors for other parties (6.23: the Supplier's, DUIS SupplierFloorSeqNumber …). */
  readonly otherRemotePartyFloors?: readonly OtherRemotePartyFloor[];
  readonly replacements: readonly {
    readonly certificate: Uint8Array;
    readonly targetCell: TrustAnchorCell;
  }[];
  readonly certificationPath: readonly Uint8Array[];
  readonly executionDateTime?: Date;
}

const context = (tagNumber: number, value: asn1js.AsnType[]) =>
  new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber }, value });
const contextInteger = (tagNumber: number, value: bigint) =>
  new asn1js.Primitive({
    idBlock: { tagClass: 3, tagNumber },
    valueHex: derInteger(value).valueBlock.valueHexView.slice(),
  });
const floorPairs = (floors: readonly SpecialistFloor[]) =>
  floors.map((f) => derSequence(derInteger(f.usage), derInteger(f.floor)));
export const otherFloorItems = (floors: readonly OtherRemotePartyFloor[]) =>
  floors.map((f) =>
    derSequence(derInteger(f.role), derInteger(f.floor), derSequence(...floorPairs(f.specialistFloors))),
  );

/** Whole X.509 certificates embedded as they are (GBCS.md §6.2). */
function certificate(der: Uint8Array, what: string): asn1js.AsnType {
  const parsed = asn1js.fromBER(Uint8Array.from(der));
  if (parsed.offset !== der.length) throw new RangeError(`${what} is not one DER value`);
  return parsed.result;
}

export function encodeCs02bCommand(command: Cs02bCommand, counter: bigint): Uint8Array {
  const control: asn1js.AsnType[] = [derInteger(command.mode)];
  if (!command.applyTimeBasedCpvChecks) control.push(contextInteger(1, 1n));
  control.push(context(2, trustAnchorCellItems(command.authorisingCell)), contextInteger(3, counter));
  if (command.newRemotePartyFloorSeqNumber !== undefined)
    control.push(contextInteger(4, command.newRemotePartyFloorSeqNumber));
  if (command.specialistFloors !== undefined) control.push(context(5, floorPairs(command.specialistFloors)));
  if (command.otherRemotePartyFloors !== undefined)
    control.push(context(6, otherFloorItems(command.otherRemotePartyFloors)));
  const items: asn1js.AsnType[] = [
    derSequence(...control),
    derSequence(
      ...command.replacements.map((r) =>
        derSequence(
          certificate(r.certificate, 'replacement certificate'),
          encodeTrustAnchorCell(r.targetCell),
        ),
      ),
    ),
    derSequence(...command.certificationPath.map((c) => certificate(c, 'certification path certificate'))),
  ];
  if (command.executionDateTime !== undefined) items.push(derGeneralizedTime(command.executionDateTime));
  return derBytes(derSequence(...items));
}

function contextNumber(node: DerNode | undefined): number | undefined {
  return node !== undefined && node.idBlock.tagClass === 3 ? node.idBlock.tagNumber : undefined;
}

function primitiveInteger(der: DerReader, node: DerNode, what: string): bigint {
  if (!(node instanceof asn1js.Primitive)) der.fail(what, 'expected a primitive [n] INTEGER');
  const value = node.valueBlock.valueHexView;
  return der.integer(new asn1js.Integer({ valueHex: Uint8Array.from(value) }), what);
}

function constructedItems(der: DerReader, node: DerNode, what: string): DerNode[] {
  if (!(node instanceof asn1js.Constructed)) der.fail(what, 'expected a constructed [n] element');
  return node.valueBlock.value;
}

export function readFloorPairs(der: DerReader, items: readonly DerNode[], what: string): SpecialistFloor[] {
  return items.map((item, i) => {
    const [usage, floor] = der.sequence(item, `${what} ${i}`, 2);
    return { usage: der.smallInteger(usage, 'usage'), floor: der.integer(floor, 'floor') };
  });
}

export function readOtherFloors(
  der: DerReader,
  items: readonly DerNode[],
  what: string,
): OtherRemotePartyFloor[] {
  return items.map((item, i) => {
    const [role, floor, specialist] = der.sequence(item, `${what} ${i}`, 3);
    return {
      role: der.smallInteger(role, 'role'),
      floor: der.integer(floor, 'floor'),
      specialistFloors: readFloorPairs(
        der,
        der.sequence(specialist, 'specialist floors', 0, 64),
        'specialist floor',
      ),
    };
  });
}

export function decodeCs02bCommand(
  content: Uint8Array,
  contentOffset = 0,
): Cs02bCommand & { readonly counter: bigint } {
  const der: DerReader = new DerReader('CS02b', contentOffset);
  const [controlNode, replacementsNode, pathNode, time] = der.sequence(
    der.parse(content),
    'update security credentials',
    3,
    4,
  );
  const control = der.sequence(controlNode, 'authorising remote party control', 3, 7);
  const [modeNode, ...tagged] = control;
  let applyTimeBasedCpvChecks = true;
  let authorisingCell: TrustAnchorCell | undefined;
  let counter: bigint | undefined;
  const optional: {
    newRemotePartyFloorSeqNumber?: bigint;
    specialistFloors?: SpecialistFloor[];
    otherRemotePartyFloors?: OtherRemotePartyFloor[];
  } = {};
  let last = 0;
  for (const node of tagged) {
    const tag = contextNumber(node);
    if (tag === undefined || tag <= last || tag > 6)
      der.fail('authorising remote party control', 'elements must be [1] … [6] in order');
    last = tag;
    if (tag === 1)
      applyTimeBasedCpvChecks = primitiveInteger(der, node, 'apply time-based CPV checks') === 0n;
    else if (tag === 2)
      authorisingCell = readTrustAnchorCell(
        der,
        constructedItems(der, node, 'authorising cell'),
        'authorising cell',
      );
    else if (tag === 3) counter = primitiveInteger(der, node, 'authorising remote party sequence number');
    else if (tag === 4)
      optional.newRemotePartyFloorSeqNumber = primitiveInteger(
        der,
        node,
        'new remote party floor sequence number',
      );
    else if (tag === 5)
      optional.specialistFloors = readFloorPairs(
        der,
        constructedItems(der, node, 'specialist floors'),
        'specialist floor',
      );
    else
      optional.otherRemotePartyFloors = readOtherFloors(
        der,
        constructedItems(der, node, 'other floors'),
        'other floor',
      );
  }
  if (authorisingCell === undefined || counter === undefined)
    der.fail('authorising remote party control', '[2] and [3] are required');
  const replacements = der.sequence(replacementsNode, 'replacements', 1, 16).map((r, i) => {
    const [cert, cell] = der.sequence(r, `replacement ${i}`, 2);
    if (!(cert instanceof asn1js.Sequence)) der.fail(`replacement ${i}`, 'expected an X.509 certificate');
    return {
      certificate: derBytes(cert),
      targetCell: readTrustAnchorCell(der, der.sequence(cell, 'target cell', 2, 3), 'target cell'),
    };
  });
  const certificationPath = der.sequence(pathNode, 'certification path', 0, 8).map((c) => derBytes(c));
  const command: Cs02bCommand & { counter: bigint } = {
    mode: der.smallInteger(modeNode, 'credentials replacement mode'),
    applyTimeBasedCpvChecks,
    authorisingCell,
    ...optional,
    replacements,
    certificationPath,
    counter,
  };
  return time === undefined
    ? command
    : { ...command, executionDateTime: der.generalizedTime(time, 'execution date-time') };
}

/** One replaced certificate's outcome (status 0 success, 5 badCertificate, 10 noTrustAnchor, …). */
export interface ReplacementOutcome {
  readonly affectedCell: TrustAnchorCell;
  readonly status: number;
  readonly existingSubjectUniqueId: Uint8Array;
  readonly existingSubjectKeyId: Uint8Array;
  readonly replacingSubjectUniqueId: Uint8Array;
  readonly replacingSubjectKeyId: Uint8Array;
}

export interface CredentialsExecutionOutcome {
  readonly authorisingRemotePartySeqNumber: bigint;
  readonly mode: number;
  readonly remotePartyFloorChanges: readonly OtherRemotePartyFloor[];
  readonly replacementOutcomes: readonly ReplacementOutcome[];
}

export type Cs02bResponse =
  | ({ readonly kind: 'executed' } & CredentialsExecutionOutcome)
  | { readonly kind: 'accepted' /* future-dated: 30 02 05 00 */ };

/**
 * RTDS devices write the response SEQUENCE, the execution outcome and the replacement outcomes
 * with two-byte long-form lengths (`30 82 00 CA`) even where DER would use one byte (GBCS.md
 * §7.8). No DER library emits that, so these three wrappers are written here around
 * asn1js-encoded contents.
 */
function longFormSequence(content: Uint8Array): Uint8Array {
  if (content.length > 0xffff) throw new RangeError('CS02b outcome too long');
  return Uint8Array.from([0x30, 0x82, content.length >> 8, content.length & 0xff, ...content]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

export function encodeCredentialsExecutionOutcome(outcome: CredentialsExecutionOutcome): Uint8Array {
  const replacements = outcome.replacementOutcomes.map((r) =>
    derBytes(
      derSequence(
        encodeTrustAnchorCell(r.affectedCell),
        new asn1js.Enumerated({ value: r.status }),
        ...[
          r.existingSubjectUniqueId,
          r.existingSubjectKeyId,
          r.replacingSubjectUniqueId,
          r.replacingSubjectKeyId,
        ].map((b) => new asn1js.OctetString({ valueHex: Uint8Array.from(b) })),
      ),
    ),
  );
  return longFormSequence(
    concat([
      derBytes(derInteger(outcome.authorisingRemotePartySeqNumber)),
      derBytes(derInteger(outcome.mode)),
      derBytes(derSequence(...otherFloorItems(outcome.remotePartyFloorChanges))),
      longFormSequence(concat(replacements)),
    ]),
  );
}

export function encodeCs02bResponse(response: Cs02bResponse): Uint8Array {
  const accepted = derBytes(new asn1js.Null());
  if (response.kind === 'accepted') return derBytes(derSequence(new asn1js.Null()));
  return longFormSequence(concat([accepted, encodeCredentialsExecutionOutcome(response)]));
}

export function readCredentialsExecutionOutcome(
  der: DerReader,
  node: DerNode | undefined,
): CredentialsExecutionOutcome {
  const [seq, mode, floors, outcomes] = der.sequence(node, 'execution outcome', 4);
  return {
    authorisingRemotePartySeqNumber: der.integer(seq, 'authorising remote party sequence number'),
    mode: der.smallInteger(mode, 'credentials replacement mode'),
    remotePartyFloorChanges: readOtherFloors(
      der,
      der.sequence(floors, 'remote party floor changes', 0, 16),
      'floor change',
    ),
    replacementOutcomes: der.sequence(outcomes, 'replacement outcomes', 0, 16).map((o, i) => {
      const [cell, status, a, b, c, d] = der.sequence(o, `replacement outcome ${i}`, 6);
      if (!(status instanceof asn1js.Enumerated))
        der.fail(`replacement outcome ${i}`, 'status must be ENUMERATED');
      return {
        affectedCell: readTrustAnchorCell(der, der.sequence(cell, 'affected cell', 2, 3), 'affected cell'),
        status: Number(status.valueBlock.valueDec),
        existingSubjectUniqueId: der.octets(a, 'existing subject unique ID'),
        existingSubjectKeyId: der.octets(b, 'existing subject key ID'),
        replacingSubjectUniqueId: der.octets(c, 'replacing subject unique ID'),
        replacingSubjectKeyId: der.octets(d, 'replacing subject key ID'),
      };
    }),
  };
}

export function decodeCs02bResponse(content: Uint8Array, contentOffset = 0): Cs02bResponse {
  const der: DerReader = new DerReader('CS02b', contentOffset);
  const [accepted, outcome] = der.sequence(der.parse(content, true), 'response', 1, 2);
  if (!der.isNull(accepted)) der.fail('response', 'expected NULL (command accepted) first');
  if (outcome === undefined) return { kind: 'accepted' };
  return { kind: 'executed', ...readCredentialsExecutionOutcome(der, outcome) };
}

/** Alert 0x00CB: a future-dated credential update ran (0x8F66) or failed (0x8F67). */
export interface FutureDatedCredentialsAlert {
  readonly alertCode: 0x8f66 | 0x8f67;
  readonly executionDateTime: Date;
  readonly outcome: CredentialsExecutionOutcome;
}

export function encodeFutureDatedCredentialsAlert(alert: FutureDatedCredentialsAlert): Uint8Array {
  const content = concat([
    derBytes(derInteger(alert.alertCode)),
    derBytes(derGeneralizedTime(alert.executionDateTime)),
    encodeCredentialsExecutionOutcome(alert.outcome),
  ]);
  // The outer length form is UNCONFIRMED (no RTDS example here): the shortest, as DER has it.
  return concat([Uint8Array.of(0x30), encodeDerLength(content.length), content]);
}

export function decodeFutureDatedCredentialsAlert(
  content: Uint8Array,
  contentOffset = 0,
): FutureDatedCredentialsAlert {
  const der: DerReader = new DerReader('0x00CB alert', contentOffset);
  const [code, time, outcome] = der.sequence(der.parse(content, true), 'alert', 3);
  const alertCode = der.smallInteger(code, 'alert code');
  if (alertCode !== 0x8f66 && alertCode !== 0x8f67)
    der.fail('alert code', `expected 0x8F66 or 0x8F67, got ${alertCode}`);
  return {
    alertCode,
    executionDateTime: der.generalizedTime(time, 'execution date-time'),
    outcome: readCredentialsExecutionOutcome(der, outcome),
  };
}
