/** What a fault does to a message on a link (DCC.md has no such thing: this is test equipment). */
export const LINK_FAULT_ACTIONS = ['drop', 'delay', 'duplicate', 'corrupt'] as const;
export type LinkFaultAction = (typeof LINK_FAULT_ACTIONS)[number];

/**
 * One rule on one direction of a link, `from -> to` (party names, device ids or `dcc`). A rule
 * lets `after` messages pass, then hits the next `count` messages (each with `probability`),
 * then retires itself.
 */
export interface LinkFaultRule {
  readonly from: string;
  readonly to: string;
  readonly action: LinkFaultAction;
  /** Messages to hit; Infinity until cleared. */
  readonly count: number;
  /** Messages to let through untouched first. */
  readonly after: number;
  /** Chance each candidate message is hit, from the run's seeded random stream. */
  readonly probability: number;
  /** For `delay`: how long, in virtual ms. */
  readonly delayMs: number;
}

/** What the fault layer decided for one message. */
export type FaultDecision =
  | { readonly kind: 'pass' }
  | { readonly kind: 'drop'; readonly rule: LinkFaultRule }
  | { readonly kind: 'delay'; readonly rule: LinkFaultRule; readonly ms: number }
  | { readonly kind: 'duplicate'; readonly rule: LinkFaultRule }
  | {
      readonly kind: 'corrupt';
      readonly rule: LinkFaultRule;
      readonly byteIndex: number;
      readonly mask: number;
    };

export function describeRule(rule: LinkFaultRule): string {
  const count =
    rule.count === Number.POSITIVE_INFINITY
      ? 'every message'
      : `${rule.count} message${rule.count === 1 ? '' : 's'}`;
  const extra = [
    rule.after > 0 ? `after ${rule.after}` : '',
    rule.probability < 1 ? `p=${rule.probability}` : '',
    rule.action === 'delay' ? `by ${rule.delayMs} ms` : '',
  ].filter(Boolean);
  return `${rule.action} ${count} ${rule.from} -> ${rule.to}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}
