import type { Eui } from '../../domain/eui.js';
import type { UserChannel, UserMessage } from '../../nodes/dcc-node.js';
import type { SchedulingClock } from '../../ports/clock.js';
import type { MessageTrace } from '../../trace/message-trace.js';
import { postXml } from './http-post.js';

/** Backoff between attempts, virtual ms (DUIS.md §12: retry with backoff in virtual time). */
export const CALLBACK_BACKOFF_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000];

/** Counts work in flight so the harness can tell when the simulation has settled. */
export interface InFlight {
  begin(): void;
  end(): void;
}

export interface CallbackDeliveryOptions {
  readonly user: Eui;
  readonly url: string;
  readonly clock: SchedulingClock;
  readonly trace: MessageTrace;
  /** Writes and signs the DUIS Response for a message, with trialsim's outcome header. */
  readonly render: (message: UserMessage) => Promise<{ xml: string; headers: Record<string, string> }>;
  readonly inFlight?: InFlight;
  readonly ca?: string;
  /**
   * The URL's port is one the operating system picked (a run's own User listening on port 0): the
   * trace writes it `<port>`, so the same seed gives the same trace (EVIDENCE.md "Reproducible").
   */
  readonly ephemeralPort?: boolean;
}

/**
 * Delivers one User's asynchronous results (device responses, device and DCC alerts) to its
 * receive-response URL as DCC Boxed does (DUIS.md §8): a signed DUIS Response, POSTed as
 * application/xml, accepted on any 2xx (Boxed clients answer 204). Any other answer, or none, is
 * retried after 1, 2, 4 … 32 s of virtual time; a 400 (the User found the message invalid) is
 * final, as is the last attempt. Messages go one at a time, in the DCC's order, so a User never
 * sees a later result before an earlier one. Every attempt is traced.
 */
export class CallbackDelivery implements UserChannel {
  private tail: Promise<void> = Promise.resolve();
  /** Messages accepted and not yet finished; counted in flight except while a retry waits. */
  private queued = 0;

  /** The receive-response URL as the trace names it. */
  readonly tracedUrl: string;
  /** Any text for the trace, with the URL's host written as in `tracedUrl`. */
  private readonly traced: (text: string) => string;

  constructor(private readonly options: CallbackDeliveryOptions) {
    const { host, hostname } = new URL(options.url);
    this.traced = options.ephemeralPort
      ? (text) => text.replaceAll(host, `${hostname}:<port>`)
      : (text) => text;
    this.tracedUrl = this.traced(options.url);
  }

  deliver(message: UserMessage): Promise<void> {
    this.queued++;
    this.options.inFlight?.begin();
    const done = this.tail.then(() => this.attempt(message, 0));
    this.tail = done;
    return done;
  }

  private finished(): void {
    this.queued--;
    this.options.inFlight?.end();
  }

  private async attempt(message: UserMessage, attempt: number): Promise<void> {
    const { url, user, clock, trace } = this.options;
    let rendered: { xml: string; headers: Record<string, string> };
    try {
      rendered = await this.options.render(message);
    } catch (err) {
      trace.add({
        at: clock.now(),
        from: 'DCC',
        to: user,
        kind: 'duisCallback',
        summary: `not delivered: ${this.traced(String(err))}`,
      });
      this.finished();
      return;
    }
    let outcome: string;
    let final: boolean;
    try {
      const answer = await postXml(url, rendered.xml, {
        headers: rendered.headers,
        ...(this.options.ca === undefined ? {} : { ca: this.options.ca }),
      });
      const accepted = answer.status >= 200 && answer.status < 300;
      outcome = `HTTP ${answer.status}${accepted ? ' (accepted)' : answer.status === 400 ? ' (refused by the User: final)' : ''}`;
      final = accepted || answer.status === 400;
    } catch (err) {
      outcome = `no answer (${this.traced((err as Error).message)})`;
      final = false;
    }
    const backoff = CALLBACK_BACKOFF_MS[attempt];
    const giveUp = !final && backoff === undefined;
    trace.add({
      at: clock.now(),
      from: 'DCC',
      to: user,
      kind: 'duisCallback',
      summary: `POST ${this.tracedUrl} attempt ${attempt + 1}: ${outcome}${giveUp ? '; given up' : final ? '' : `; retry in ${backoff} ms`}`,
      detail: { url: this.tracedUrl, attempt: attempt + 1, message: message.kind },
    });
    if (final || backoff === undefined) {
      this.finished();
      return;
    }
    // While the retry waits on the virtual clock nothing of this User's is in flight, so the run
    // may move time on to it; the queue behind it waits too, and counts again when it fires.
    const waiting = this.queued;
    for (let i = 0; i < waiting; i++) this.options.inFlight?.end();
    await new Promise<void>((resolve) => {
      clock.schedule(clock.now() + backoff, `DUIS callback retry to ${user}`, () => {
        for (let i = 0; i < waiting; i++) this.options.inFlight?.begin();
        resolve();
      });
    });
    return this.attempt(message, attempt + 1);
  }
}
