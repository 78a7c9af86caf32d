/** Response-time summary of a set of service requests, in virtual milliseconds. */
export interface ResponseTimeSummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * Nearest-rank percentiles (the smallest value with at least p% of values at or below it): no
 * interpolation, so every figure is a response time that actually happened. Null if empty.
 */
export function summariseTimes(values: readonly number[]): ResponseTimeSummary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;
  return {
    count: sorted.length,
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    max: sorted[sorted.length - 1] as number,
  };
}
