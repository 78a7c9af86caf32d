/**
 * Canonical JSON for hashing and signing: object keys sorted by UTF-16 code units, no
 * whitespace, `undefined` members dropped (RFC 8785's shape, without its number rewriting, which
 * JSON.stringify already matches for the finite numbers trialsim writes). Values that JSON has no
 * form for get one fixed form, so the same value always gives the same bytes: a byte string
 * becomes hex, a bigint its decimal string.
 */
export function canonicalJson(value: unknown): string {
  const json = toJsonValue(value);
  return json === undefined ? 'null' : serialize(json);
}

/** The plain-JSON form of a value as trialsim writes it (bytes → hex, bigint → string). */
export function toJsonValue(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (value instanceof Map) return toJsonValue(Object.fromEntries(value));
  if (value instanceof Set) return toJsonValue([...value]);
  if (Array.isArray(value)) return value.map((v) => toJsonValue(v) ?? null);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const json = toJsonValue(v);
      if (json !== undefined) out[k] = json;
    }
    return out;
  }
  return undefined;
}

function serialize(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(serialize).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${serialize((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
