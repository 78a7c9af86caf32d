import type { TransportFault } from '../../simulator/adapters/index.js';
import { TrialsimError } from '../../simulator/errors.js';
import type { Clock } from '../../simulator/ports/index.js';
import type { MessageTrace } from '../../simulator/trace/index.js';

/** Faults traced one by one; past this many a run only counts them (a broker gone fails every publish). */
const TRACED_FAULTS = 20;

/**
 * The faults of a run's harness — a party's connection lost or taken over, a publish that
 * failed, a message handler that threw — which no party can report as an outcome of its own.
 * Each goes in the trace (kind `harnessFault`, with its cause); the first one fails the run:
 * settle() throws it, at once for whoever is waiting, so the step in progress ends as an `error`
 * naming the cause instead of waiting out a guard or passing on a broken bus.
 */
export class RunFaults {
  private firstFault: TrialsimError | undefined;
  private count = 0;
  private readonly waiters = new Set<(err: TrialsimError) => void>();

  constructor(
    private readonly trace: MessageTrace,
    private readonly clock: Clock,
  ) {}

  readonly report = (fault: TransportFault): void => {
    this.count++;
    if (this.count <= TRACED_FAULTS) {
      this.trace.add({
        at: this.clock.now(),
        from: fault.party,
        to: 'harness',
        kind: 'harnessFault',
        summary: fault.message,
        detail: { harnessFault: { kind: fault.kind, code: fault.code } },
      });
    }
    if (this.firstFault !== undefined) return;
    this.firstFault = new TrialsimError(fault.code, `harness fault: ${fault.message}`);
    for (const wake of this.waiters) wake(this.firstFault);
    this.waiters.clear();
  };

  /** The first fault, which failed the run; undefined while there is none. */
  get first(): TrialsimError | undefined {
    return this.firstFault;
  }

  /** Faults past those traced one by one, in one line for the trace; undefined when none. */
  untraced(): string | undefined {
    if (this.count <= TRACED_FAULTS) return undefined;
    return `${this.count} harness faults in all; the first ${TRACED_FAULTS} are traced, ${this.count - TRACED_FAULTS} more only counted`;
  }

  /** Rejects with the first fault when there is one (at once if there already is). */
  failure(): { promise: Promise<never>; cancel(): void } {
    let cancel = () => {};
    const promise = new Promise<never>((_, reject) => {
      if (this.firstFault !== undefined) {
        reject(this.firstFault);
        return;
      }
      this.waiters.add(reject);
      cancel = () => this.waiters.delete(reject);
    });
    return { promise, cancel };
  }
}
