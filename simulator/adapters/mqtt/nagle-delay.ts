/**
 * Whether a broker holds its small writes back (Nagle's algorithm, no TCP_NODELAY), from two
 * kinds of round trip measured on one connection whose own socket has TCP_NODELAY:
 *
 * - single: one QoS 1 PUBLISH → its PUBACK. The broker's one small write goes out at once either
 *   way, so this is the network's round trip (and the broker's turn).
 * - paired: two QoS 1 PUBLISHes sent together → both PUBACKs. The broker writes the second PUBACK
 *   while the first is still unacknowledged; with Nagle it waits for the peer's ACK, which the
 *   peer's delayed-ACK timer holds back (≥ 40 ms on Linux, more elsewhere). Request/response
 *   traffic pays this at every hop: a 100-device trial took 84 s on stock mosquitto, 2.6 s with
 *   `set_tcp_nodelay true`.
 *
 * The difference of the medians is the delay the broker adds, whatever the network's own round
 * trip is, and a loaded machine slows both kinds alike.
 */

/**
 * Extra ms of a paired round trip over a single one from which the broker counts as delaying:
 * half of Linux's smallest delayed-ACK timeout (TCP_ATO_MIN, 40 ms), so a delayed ACK always
 * crosses it, while loopback scheduling on a busy machine adds a few ms at most.
 */
export const NAGLE_EXTRA_MS = 20;

/** The fix for a broker found delaying, in mosquitto.conf's own words (mosquitto-acl.ts writes it). */
export const NAGLE_FIX = 'add `set_tcp_nodelay true` to mosquitto.conf';

export interface RoundTripSamples {
  /** ms of each PUBLISH → PUBACK. */
  readonly singleMs: readonly number[];
  /** ms of each pair of PUBLISHes → both PUBACKs. */
  readonly pairedMs: readonly number[];
}

export interface RoundTripVerdict {
  /** Median single round trip, ms (one decimal). */
  readonly roundTripMs: number;
  /** Median paired round trip, ms (one decimal). */
  readonly pairedRoundTripMs: number;
  /** The broker holds small writes back: Nagle's algorithm is on (mosquitto: set_tcp_nodelay false). */
  readonly nagleDelay: boolean;
}

/** The median (the mean of the middle two for an even count); a median ignores one stray sample. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const oneDecimal = (ms: number) => Math.round(ms * 10) / 10;

/** Classifies measured round trips; undefined when either kind has no sample. */
export function nagleVerdict(samples: RoundTripSamples): RoundTripVerdict | undefined {
  if (samples.singleMs.length === 0 || samples.pairedMs.length === 0) return undefined;
  const single = median(samples.singleMs);
  const paired = median(samples.pairedMs);
  return {
    roundTripMs: oneDecimal(single),
    pairedRoundTripMs: oneDecimal(paired),
    nagleDelay: paired - single >= NAGLE_EXTRA_MS,
  };
}
