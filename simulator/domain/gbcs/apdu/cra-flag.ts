/**
 * The CRA flag of the transaction-id (GBCS.md §2.3): what kind of message this is. GBCS writes it
 * as the first byte after `09`; the KDF binds it into every MAC key (§4.2).
 */
export type CraKind = 'command' | 'response' | 'alert';

export const CRA_FLAG: Readonly<Record<CraKind, 1 | 2 | 3>> = Object.freeze({
  command: 1,
  response: 2,
  alert: 3,
});

export function craKindOf(flag: number): CraKind | undefined {
  return flag === 1 ? 'command' : flag === 2 ? 'response' : flag === 3 ? 'alert' : undefined;
}

/** Originator counters are 8 bytes, unsigned (GBCS.md §1). */
export const COUNTER_MAX = 0xffff_ffff_ffff_ffffn;
