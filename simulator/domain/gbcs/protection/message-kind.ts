/**
 * The three GBCS message kinds that carry an originator counter, and the CRA flag each is
 * written as in the message header (DCC.md §8: 1 command, 2 response, 3 alert).
 */
export type GbcsMessageKind = 'command' | 'response' | 'alert';

export const CRA_FLAG: Readonly<Record<GbcsMessageKind, 1 | 2 | 3>> = Object.freeze({
  command: 1,
  response: 2,
  alert: 3,
});

export function isGbcsMessageKind(value: unknown): value is GbcsMessageKind {
  return value === 'command' || value === 'response' || value === 'alert';
}
