/** The fleet step's `devices`, `from` and `to`, as device ids in order. */
export interface FleetSelection {
  readonly devices: string | readonly string[];
  readonly from?: number | undefined;
  readonly to?: number | undefined;
}

/**
 * Resolves fleet ids and device ids to device ids (fleets expand in their order), then keeps
 * positions `from`..`to` (1-based, inclusive). Returns a problem instead of throwing so the loader
 * can report it with its line.
 */
export function selectFleetDevices(
  selection: FleetSelection,
  fleets: ReadonlyMap<string, readonly string[]>,
  devices: ReadonlySet<string>,
): { ok: true; ids: string[] } | { ok: false; problem: string } {
  const names = typeof selection.devices === 'string' ? [selection.devices] : selection.devices;
  const ids: string[] = [];
  for (const name of names) {
    const members = fleets.get(name);
    if (members !== undefined) ids.push(...members);
    else if (devices.has(name)) ids.push(name);
    else {
      return {
        ok: false,
        problem: `no fleet or device "${name}" in this scenario (fleets: ${[...fleets.keys()].join(', ') || 'none'})`,
      };
    }
  }
  const from = selection.from ?? 1;
  const to = selection.to ?? ids.length;
  if (from > to || to > ids.length) {
    return { ok: false, problem: `from ${from} to ${to} is outside the ${ids.length} devices selected` };
  }
  return { ok: true, ids: ids.slice(from - 1, to) };
}
