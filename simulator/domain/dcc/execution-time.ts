/**
 * The execution date-time a future-dated command names (11.3, 6.23: DCC.md §2, GBCS.md §7.7,
 * §7.8), in ms; undefined for an immediate one or a date-time that does not parse (the SRV's
 * body schema refuses that one by name).
 */
export function executionTime(body: Readonly<Record<string, unknown>>): number | undefined {
  const when = body.executionDateTime;
  if (when === undefined) return undefined;
  const at = typeof when === 'number' ? when : Date.parse(String(when));
  return Number.isNaN(at) ? undefined : at;
}
