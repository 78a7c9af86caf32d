import { parse, stringify } from 'yaml';

/**
 * scenarios/full-trial-100.yaml scaled to `devices`: the same 18-month trial (commission all,
 * read in stages, upgrade the first 40 %, suspend and remove the other 60 %), with every count,
 * range and device name in proportion. Pure: the bench writes the result to a temporary file.
 */
export function scaleTrialScenario(source: string, devices: number): string {
  if (!Number.isInteger(devices) || devices < 10 || devices % 10 !== 0) {
    throw new RangeError(`the scale trial needs a multiple of 10 devices, got ${devices}`);
  }
  const scaled = scaledCounts(devices);
  const doc = parse(source) as Record<string, unknown>;
  const width = Math.max(3, String(devices).length);
  const rename = (text: string) =>
    text.replace(
      /\bhome-(\d+)\b/g,
      (_, n: string) => `home-${String(scaled(Number(n))).padStart(width, '0')}`,
    );
  const walk = (value: unknown, key: string | undefined): unknown => {
    if (typeof value === 'number' && key !== undefined && COUNT_KEYS.has(key)) return scaled(value);
    if (typeof value === 'string') return key === 'device' ? rename(value) : value;
    if (Array.isArray(value)) return value.map((item) => walk(item, key));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    }
    return value;
  };
  const out = walk(doc, undefined) as Record<string, unknown>;
  out.scenario = `full-trial-${devices}`;
  out.title = `A full 18-month trial of ${devices.toLocaleString('en-GB')} devices (bench: full-trial-100 scaled)`;
  return stringify(out);
}

/** The keys whose numbers are device counts or fleet positions in full-trial-100. */
const COUNT_KEYS = new Set(['count', 'maxDevices', 'commissioned', 'upgraded', 'removed', 'from', 'to']);

/** 100 → devices; 40, 41, 50, 51, 60 → the same share of them (a position n + 1 stays one past n's share). */
export function scaledCounts(devices: number): (value: number) => number {
  return (value: number) => {
    if (value % 10 === 0) return (value * devices) / 100;
    if (value % 10 === 1) return ((value - 1) * devices) / 100 + 1;
    throw new RangeError(`full-trial-100 count ${value} has no proportional equivalent`);
  };
}
