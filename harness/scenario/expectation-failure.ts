/** The system under test did not do what the scenario expected: a `failed` verdict, not an error. */
export class ExpectationFailure extends Error {
  constructor(
    message: string,
    readonly expected: unknown,
    readonly actual: unknown,
  ) {
    super(message);
    this.name = 'ExpectationFailure';
  }
}

/** True if every key of `expected` is in `actual` with an equal value (recursively for objects). */
export function matchesSubset(expected: unknown, actual: unknown): boolean {
  if (expected === null || typeof expected !== 'object')
    return Object.is(expected, actual) || String(expected) === String(actual);
  if (actual === null || typeof actual !== 'object') return false;
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      expected.length === actual.length &&
      expected.every((e, i) => matchesSubset(e, actual[i]))
    );
  }
  return Object.entries(expected).every(([key, value]) =>
    matchesSubset(value, (actual as Record<string, unknown>)[key]),
  );
}
