import { DEFAULT_PARTIES, USER_PARTIES } from '../stack/parties.js';

/** What a scenario's steps may refer to, and the named requests declared so far. */
export interface ReferenceScope {
  readonly devices: ReadonlySet<string>;
  readonly fleets: ReadonlyMap<string, readonly string[]>;
  /** `name:` of sends in earlier steps, in order. */
  readonly requests: Set<string>;
}

/** A broken reference: where it is (a path under the step) and what is wrong. */
export interface ReferenceProblem {
  readonly path: readonly PropertyKey[];
  readonly problem: string;
}

/**
 * Keys that name things, whichever step kind or check they appear in. Checking by key name keeps
 * the rule in one place and covers step kinds other files add, as long as they use these names:
 * `device`/`devices` for devices (or fleets), `as`/`to`/`signWith`/`supplier`/`networkOperator`/
 * `party` for parties, `request` for a named request, `link` for a fault link "a -> b".
 */
const DEVICE_KEYS = new Set(['device']);
const DEVICE_LIST_KEYS = new Set(['devices']);
const PARTY_KEYS = new Set(['signWith', 'supplier', 'networkOperator', 'party', 'sponsor']);
/** Keys naming a DCC User: a party that sends service requests and receives responses and alerts. */
const USER_KEYS = new Set(['as', 'to']);
const USER_NAMES = new Set(USER_PARTIES.map((p) => p.name));
/** Free-form payloads: their keys are the SRV's, not the scenario language's. */
const OPAQUE_KEYS = new Set(['body', 'title', 'requirement', 'description', 'do']);
/** Keys of a `fault` step whose value is a link "from -> to". */
const LINK_KEYS = new Set(['drop', 'delay', 'duplicate', 'corrupt', 'clear']);
/** Keys of a `fault` step whose value is a device id. */
const FAULT_DEVICE_KEYS = new Set(['clockSkew']);
const PARTY_NAMES = new Set(DEFAULT_PARTIES.map((p) => p.name));

function list(names: Iterable<string>): string {
  const all = [...names];
  return all.length > 12 ? `${all.slice(0, 12).join(', ')}, … (${all.length})` : all.join(', ');
}

/** Parses a fault link "from -> to" into its two ends. */
export function parseLink(text: string): { from: string; to: string } | undefined {
  const match = /^\s*([A-Za-z0-9-]+)\s*->\s*([A-Za-z0-9-]+)\s*$/.exec(text);
  return match ? { from: match[1] as string, to: match[2] as string } : undefined;
}

/** Checks every reference in one step; records the step's named request after checking it. */
export function checkStepReferences(
  step: Record<string, unknown>,
  scope: ReferenceScope,
): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const declared: string[] = [];
  const deviceProblem = (name: string, allowFleets: boolean): string | undefined => {
    if (scope.devices.has(name)) return undefined;
    if (allowFleets && scope.fleets.has(name)) return undefined;
    return `no device${allowFleets ? ' or fleet' : ''} "${name}" in this scenario (devices: ${list(scope.devices)}${scope.fleets.size > 0 ? `; fleets: ${list(scope.fleets.keys())}` : ''})`;
  };
  const endProblem = (name: string): string | undefined =>
    name === 'dcc' || PARTY_NAMES.has(name) || scope.devices.has(name)
      ? undefined
      : `"${name}" is not dcc, a party (${list(PARTY_NAMES)}) or a device of this scenario`;

  const walk = (value: unknown, path: PropertyKey[], parentKey: PropertyKey | undefined): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        walk(item, [...path, i], parentKey);
      });
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const at = [...path, key];
      if (OPAQUE_KEYS.has(key)) continue;
      if (
        (DEVICE_KEYS.has(key) || (parentKey === 'fault' && FAULT_DEVICE_KEYS.has(key))) &&
        typeof v === 'string'
      ) {
        const p = deviceProblem(v, parentKey === 'fault');
        if (p) problems.push({ path: at, problem: p });
      } else if (DEVICE_LIST_KEYS.has(key)) {
        for (const [i, name] of (typeof v === 'string' ? [v] : Array.isArray(v) ? v : []).entries()) {
          if (typeof name !== 'string') continue;
          const p = deviceProblem(name, true);
          if (p) problems.push({ path: typeof v === 'string' ? at : [...at, i], problem: p });
        }
      } else if (USER_KEYS.has(key) && typeof v === 'string') {
        if (!USER_NAMES.has(v))
          problems.push({ path: at, problem: `"${v}" is not a DCC User (users: ${list(USER_NAMES)})` });
      } else if (PARTY_KEYS.has(key) && typeof v === 'string') {
        if (!PARTY_NAMES.has(v))
          problems.push({ path: at, problem: `unknown party "${v}" (known: ${list(PARTY_NAMES)})` });
      } else if (key === 'request' && typeof v === 'string') {
        if (!scope.requests.has(v)) {
          problems.push({
            path: at,
            problem: `no earlier send is named "${v}" (named so far: ${list(scope.requests) || 'none'})`,
          });
        }
      } else if (
        typeof v === 'string' &&
        (key === 'link' || (parentKey === 'fault' && LINK_KEYS.has(key) && !(key === 'clear' && v === 'all')))
      ) {
        const link = parseLink(v);
        if (link === undefined)
          problems.push({ path: at, problem: `link "${v}" should look like "dcc -> esme1"` });
        else
          for (const end of [link.from, link.to]) {
            const p = endProblem(end);
            if (p) problems.push({ path: at, problem: p });
          }
      } else if (key === 'name' && parentKey === 'send' && typeof v === 'string') {
        if (scope.requests.has(v)) problems.push({ path: at, problem: `a request is already named "${v}"` });
        declared.push(v);
      } else walk(v, at, key);
    }
  };
  walk(step, [], undefined);
  for (const name of declared) scope.requests.add(name);
  return problems;
}
