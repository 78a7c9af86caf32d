import * as asn1js from 'asn1js';
import { type DerNode, type DerReader, derInteger, derSequence } from './der-values.js';

/**
 * A trust-anchor cell identifier (GBCS.md §7.8): remote party role, key usage as a BIT STRING
 * (`03 02 07 80` digitalSignature, `03 02 03 08` keyAgreement) and the cell usage, an INTEGER
 * omitted when it is the DEFAULT (management) as DER requires; `1` is prepaymentTopUp.
 */
export interface TrustAnchorCell {
  readonly role: number;
  readonly keyUsage: 'digitalSignature' | 'keyAgreement';
  readonly cellUsage?: number;
}

const KEY_USAGE_BITS = {
  digitalSignature: { unusedBits: 7, byte: 0x80 },
  keyAgreement: { unusedBits: 3, byte: 0x08 },
} as const;

export function trustAnchorCellItems(cell: TrustAnchorCell): asn1js.AsnType[] {
  const bits = KEY_USAGE_BITS[cell.keyUsage];
  const items: asn1js.AsnType[] = [
    derInteger(cell.role),
    new asn1js.BitString({ unusedBits: bits.unusedBits, valueHex: Uint8Array.of(bits.byte) }),
  ];
  if (cell.cellUsage !== undefined) items.push(derInteger(cell.cellUsage));
  return items;
}

export function encodeTrustAnchorCell(cell: TrustAnchorCell): asn1js.Sequence {
  return derSequence(...trustAnchorCellItems(cell));
}

/** Reads the cell from the items of a SEQUENCE or of an IMPLICIT [n] constructed element. */
export function readTrustAnchorCell(
  der: DerReader,
  items: readonly DerNode[],
  what: string,
): TrustAnchorCell {
  if (items.length < 2 || items.length > 3) der.fail(what, `expected 2 or 3 elements, got ${items.length}`);
  const [role, usage, cellUsage] = items;
  if (!(usage instanceof asn1js.BitString)) der.fail(what, 'key usage must be a BIT STRING');
  const bytes = usage.valueBlock.valueHexView;
  const keyUsage = (Object.keys(KEY_USAGE_BITS) as TrustAnchorCell['keyUsage'][]).find(
    (k) =>
      KEY_USAGE_BITS[k].unusedBits === usage.valueBlock.unusedBits &&
      bytes.length === 1 &&
      bytes[0] === KEY_USAGE_BITS[k].byte,
  );
  if (keyUsage === undefined)
    der.fail(what, 'key usage is neither digitalSignature (07 80) nor keyAgreement (03 08)');
  const base = { role: der.smallInteger(role, `${what} role`), keyUsage };
  return cellUsage === undefined
    ? base
    : { ...base, cellUsage: der.smallInteger(cellUsage, `${what} cell usage`) };
}
