import type { MqttClient } from 'mqtt';
import { TrialsimError } from '../../errors.js';

/** Something that went wrong on a party's connection, for the run's trace and results. */
export interface TransportFault {
  /** The client id of the party's connection. */
  readonly party: string;
  readonly kind: 'connectionLost' | 'publishFailed' | 'handlerFailed';
  /** A stable code for the results: BROKER_CONNECTION_LOST, PUBLISH_FAILED, HANDLER_FAILED. */
  readonly code: string;
  readonly message: string;
}

export type TransportFaultSink = (fault: TransportFault) => void;

/**
 * How long a close waits for the broker to acknowledge messages still in flight before it drops
 * the connection: a stop must never wait on a broker that has gone quiet.
 */
export const CLOSE_GUARD_MS = 2_000;

/**
 * Watches one MQTT client for the faults MQTT.js keeps to itself. Its connection closed by the
 * broker (the broker stopped, the socket reset, or another login took its client id over) is a
 * fault of the run, reported once; and on such a client `publish()` and `end()` would never
 * settle (it keeps QoS 1 messages for a reconnection that will not come), so the watch fails
 * them instead: every publish ends, and so does every close.
 */
export class ConnectionWatch {
  private closing = false;
  private lostBecause: TrialsimError | undefined;
  private lastError: Error | undefined;
  private readonly pending = new Set<(err: TrialsimError) => void>();

  constructor(
    private readonly client: MqttClient,
    private readonly party: string,
    private readonly reconnects: boolean,
    private readonly onFault: TransportFaultSink | undefined,
  ) {
    // Without a listener an 'error' (ECONNRESET, a refused reconnection) would be thrown.
    client.on('error', (err) => {
      this.lastError = err;
    });
    client.on('close', () => this.onClose());
  }

  /** The fault that ended the connection, if one has. */
  get lost(): TrialsimError | undefined {
    return this.lostBecause;
  }

  /** Reports a fault of this party's (a failed publish, a handler that threw) unless closing. */
  report(kind: TransportFault['kind'], code: string, message: string): void {
    if (this.closing) return;
    this.onFault?.({ party: this.party, kind, code, message });
  }

  /**
   * Runs a publish or subscribe so that it ends even if the connection is lost while it waits:
   * the connection's loss rejects it at once (onClose calls every pending `reject`). One promise
   * per send, settled by whichever comes first; a Promise.race against a fresh "lost" promise
   * took three more and their microtask turns, on every message (#21).
   */
  bounded(send: () => Promise<unknown>): Promise<void> {
    if (this.lostBecause !== undefined) return Promise.reject(this.lostBecause);
    return new Promise<void>((resolve, reject) => {
      this.pending.add(reject);
      const settled = () => this.pending.delete(reject);
      let sent: Promise<unknown>;
      try {
        sent = send();
      } catch (err) {
        settled();
        reject(err);
        return;
      }
      sent.then(
        () => {
          settled();
          resolve();
        },
        (err: unknown) => {
          settled();
          reject(err);
        },
      );
    });
  }

  /** Ends the connection: politely while it is up, for at most CLOSE_GUARD_MS, else at once. */
  async close(): Promise<void> {
    this.closing = true;
    if (!this.client.connected) {
      await this.client.endAsync(true);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), CLOSE_GUARD_MS);
    });
    try {
      const ended = await Promise.race([this.client.endAsync().then(() => 'ended' as const), guard]);
      if (ended === 'late') await this.client.endAsync(true);
    } finally {
      clearTimeout(timer);
    }
  }

  private onClose(): void {
    if (this.closing || this.reconnects || this.lostBecause !== undefined) return;
    const cause = this.lastError === undefined ? '' : ` (${this.lastError.message})`;
    this.lostBecause = new TrialsimError(
      'BROKER_CONNECTION_LOST',
      `${this.party}: the broker closed its connection${cause}: the broker stopped or reset it, or another login took over its client id`,
    );
    for (const fail of this.pending) fail(this.lostBecause);
    this.pending.clear();
    this.onFault?.({
      party: this.party,
      kind: 'connectionLost',
      code: this.lostBecause.code,
      message: this.lostBecause.message,
    });
  }
}
