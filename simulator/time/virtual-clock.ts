import type { SchedulingClock } from '../ports/clock.js';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly label: string;
  readonly task: () => void;
}

/**
 * Simulation time. It moves only when the harness advances it, and advancing costs work in
 * proportion to the timers that fire, not to the time that passes: 18 months with nothing
 * scheduled is one assignment. Timers due at the same instant fire in the order they were set.
 */
export class VirtualClock implements SchedulingClock {
  private current: number;
  private seq = 0;
  private heap: Timer[] = [];
  private readonly cancelled = new Set<number>();

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(at: number, label: string, task: () => void): number {
    const timer: Timer = { at: Math.max(at, this.current), seq: ++this.seq, label, task };
    this.heap.push(timer);
    this.siftUp(this.heap.length - 1);
    return timer.seq;
  }

  cancel(handle: number): void {
    this.cancelled.add(handle);
  }

  /** The next live timer's time, if any. */
  nextDue(): number | undefined {
    this.dropCancelledHead();
    return this.heap[0]?.at;
  }

  get scheduledCount(): number {
    return this.heap.length - this.cancelled.size;
  }

  /**
   * Moves time to `target`, firing due timers in order. After each timer, `settle` runs so the
   * effects of one event (messages over the broker) finish before the next event fires.
   */
  async advanceTo(
    target: number,
    settle: () => Promise<void>,
    onFire?: (label: string, at: number) => void,
  ): Promise<number> {
    let fired = 0;
    for (;;) {
      this.dropCancelledHead();
      const next = this.heap[0];
      if (next === undefined || next.at > target) break;
      this.pop();
      this.current = next.at;
      onFire?.(next.label, next.at);
      next.task();
      fired++;
      await settle();
    }
    if (target > this.current) this.current = target;
    return fired;
  }

  private dropCancelledHead(): void {
    while (this.heap.length > 0) {
      const head = this.heap[0] as Timer;
      if (!this.cancelled.has(head.seq)) return;
      this.cancelled.delete(head.seq);
      this.pop();
    }
  }

  private before(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private pop(): Timer | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (this.heap.length > 0 && last !== undefined) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftUp(index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(this.heap[i] as Timer, this.heap[parent] as Timer)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(index: number): void {
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < this.heap.length && this.before(this.heap[left] as Timer, this.heap[smallest] as Timer))
        smallest = left;
      if (right < this.heap.length && this.before(this.heap[right] as Timer, this.heap[smallest] as Timer))
        smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private swap(a: number, b: number): void {
    const tmp = this.heap[a] as Timer;
    this.heap[a] = this.heap[b] as Timer;
    this.heap[b] = tmp;
  }
}
