import type { Clock } from '../../ports/clock.js';
import type { Random } from '../../ports/random.js';
import { describeRule, type FaultDecision, type LinkFaultRule } from './link-fault.js';

interface ActiveRule {
  readonly rule: LinkFaultRule;
  passed: number;
  hit: number;
}

/** Called for every message a fault touched, so the run's trace can show it. */
export type FaultObserver = (event: { from: string; to: string; summary: string }) => void;

/**
 * The faults in force in one run: per-link rules and per-device clock skews. Every random choice
 * (whether a probabilistic rule hits, which byte a corruption flips) comes from one seeded stream
 * per link, so the same seed and scenario give the same faults on every run.
 */
export class FaultPlan {
  private rules: ActiveRule[] = [];
  private readonly streams = new Map<string, Random>();
  private readonly skews = new Map<string, number>();

  constructor(
    private readonly random: Random,
    private readonly observer: FaultObserver = () => {},
  ) {}

  add(rule: LinkFaultRule): void {
    if (!(rule.probability >= 0 && rule.probability <= 1))
      throw new RangeError(`fault probability ${rule.probability} is not between 0 and 1`);
    if (!(rule.count > 0)) throw new RangeError('a fault rule must hit at least one message');
    this.rules.push({ rule, passed: 0, hit: 0 });
    this.observer({ from: rule.from, to: rule.to, summary: `fault armed: ${describeRule(rule)}` });
  }

  /** Removes every rule on `from -> to`, or every rule when no link is given. */
  clear(link?: { from: string; to: string }): number {
    const before = this.rules.length;
    this.rules = this.rules.filter(
      (r) => link !== undefined && (r.rule.from !== link.from || r.rule.to !== link.to),
    );
    return before - this.rules.length;
  }

  /** False while no rule is armed: every message passes, and nobody need ask about it. */
  get armed(): boolean {
    return this.rules.length > 0;
  }

  get activeRules(): readonly LinkFaultRule[] {
    return this.rules.map((r) => r.rule);
  }

  /** Decides the fate of one message about to go from `from` to `to` of `length` bytes. */
  decide(from: string, to: string, length: number): FaultDecision {
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.from !== from || rule.to !== to) continue;
      if (active.passed < rule.after) {
        active.passed++;
        continue;
      }
      const stream = this.stream(from, to);
      if (rule.probability < 1 && stream.nextFloat() >= rule.probability) continue;
      active.hit++;
      if (active.hit >= rule.count) this.rules = this.rules.filter((r) => r !== active);
      const decision = this.decision(rule, stream, length);
      this.observer({ from, to, summary: `fault: ${describeDecision(decision)} (${describeRule(rule)})` });
      return decision;
    }
    return { kind: 'pass' };
  }

  private decision(rule: LinkFaultRule, stream: Random, length: number): FaultDecision {
    switch (rule.action) {
      case 'drop':
        return { kind: 'drop', rule };
      case 'delay':
        return { kind: 'delay', rule, ms: rule.delayMs };
      case 'duplicate':
        return { kind: 'duplicate', rule };
      case 'corrupt':
        return {
          kind: 'corrupt',
          rule,
          byteIndex: length === 0 ? 0 : stream.nextUint32() % length,
          // Never 0: a corruption must change the byte.
          mask: 1 + (stream.nextUint32() % 255),
        };
    }
  }

  private stream(from: string, to: string): Random {
    const key = `${from}->${to}`;
    let stream = this.streams.get(key);
    if (stream === undefined) {
      stream = this.random.fork(key);
      this.streams.set(key, stream);
    }
    return stream;
  }

  /** Clock skew: the device's clock reads `ms` off the true (virtual) time from now on. */
  setSkew(device: string, ms: number): void {
    this.skews.set(device, ms);
    this.observer({ from: device, to: device, summary: `fault: clock of ${device} skewed by ${ms} ms` });
  }

  skewOf(device: string): number {
    return this.skews.get(device) ?? 0;
  }

  /** A clock for `device` that reads the true time plus the device's skew. */
  clockFor(device: string, base: Clock): Clock {
    return { now: () => base.now() + this.skewOf(device) };
  }
}

function describeDecision(decision: FaultDecision): string {
  switch (decision.kind) {
    case 'pass':
      return 'passed';
    case 'drop':
      return 'dropped a message';
    case 'delay':
      return `delayed a message by ${decision.ms} ms`;
    case 'duplicate':
      return 'duplicated a message';
    case 'corrupt':
      return `corrupted byte ${decision.byteIndex} (xor 0x${decision.mask.toString(16).padStart(2, '0')})`;
  }
}
