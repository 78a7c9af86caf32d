import { resolveFirmwareReferences } from '../scenario/firmware-references.js';
import type { SimStack } from '../stack/sim-stack.js';
import { LiveFeed } from '../watch/live-feed.js';
import { LiveClock } from './live-clock.js';
import { findDeviceSpec, planServiceRequest, type SrAsk } from './sr-plan.js';
import type { SrResult } from './sr-result.js';
import { type StackSnapshot, stackNames, stackSnapshot } from './stack-view.js';

/** An SR on its way: its RequestID at once, its result when it ends. */
export interface SentSr {
  readonly requestId: string;
  readonly result: Promise<SrResult>;
}

/**
 * A running stack as people work with it (`trialsim up`, its console): a read-only snapshot,
 * the decoded message stream, service requests sent as a party with their default body, and the
 * virtual clock. Requests go through the party's own agent over the bus, exactly like a
 * scenario's `send` and like `trialsim sr` from another process — never into the DCC's state.
 */
export class LiveStack {
  readonly feed: LiveFeed;
  readonly clock: LiveClock;

  constructor(
    readonly stack: SimStack,
    start: number,
    onClockError: (err: unknown) => void = () => {},
  ) {
    this.feed = new LiveFeed(stack.trace, stackNames(stack));
    this.clock = new LiveClock(stack, start, undefined, onClockError);
  }

  snapshot(): StackSnapshot {
    return stackSnapshot(this.stack);
  }

  /**
   * Sends `ask` as its party. The RequestID counter continues from the highest the DCC has
   * accepted from the party, so requests sent by `trialsim sr` in between (wall-clock counters)
   * do not make these look like replays (DUIS: strictly increasing per User). Firmware is named
   * as in a scenario (`"firmwareImage": "acme-e-trial-1.0.0"` in an 11.1 or 11.3 body).
   */
  async send(ask: SrAsk): Promise<SentSr> {
    const agent = this.stack.user(ask.as);
    const dcc = this.stack.dcc.view;
    const plan = planServiceRequest(
      ask,
      (idOrEui) => findDeviceSpec(this.stack.deviceSpecs.values(), idOrEui),
      dcc.config.dccEui,
    );
    const body = await resolveFirmwareReferences(ask.srv, plan.body, this.stack);
    const accepted = dcc.users.get(agent.eui)?.lastCounter ?? 0;
    const handle = agent.request({
      srv: ask.srv,
      target: plan.target,
      body,
      counter: Math.max(accepted, agent.lastCounter) + 1,
    });
    return {
      requestId: handle.requestId,
      result: handle.final.then(
        (outcome) => ({ requestId: handle.requestId, responses: handle.responses, outcome }),
        // Not sent (the link failed): the result says so instead of rejecting where nobody listens.
        (err: unknown) => ({
          requestId: handle.requestId,
          responses: handle.responses,
          outcome: undefined,
          failure: err instanceof Error ? err.message : String(err),
        }),
      ),
    };
  }

  /** Skips virtual time ahead; resolves with the new virtual time. */
  advance(ms: number): Promise<number> {
    return this.clock.advanceBy(ms);
  }

  close(): void {
    this.clock.stop();
    this.feed.close();
  }
}
