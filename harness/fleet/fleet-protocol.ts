/**
 * Messages between a fleet's main process (DCC, suppliers, virtual clock) and its worker
 * processes (a share of the simulated devices each), over the Node IPC channel. MQTT carries
 * the simulation; this channel only starts, times and stops the workers.
 */
export interface WorkerStart {
  readonly type: 'start';
  readonly shard: number;
  readonly seed: string;
  readonly namespace: string;
  readonly brokerUrl: string;
  /** Virtual time now, ms. */
  readonly now: number;
  /** This worker's devices: fleet indices first .. first + count - 1. */
  readonly first: number;
  readonly count: number;
  readonly preinstalled: boolean;
}

export type ToWorker =
  | WorkerStart
  /** Virtual time moved: device clocks follow the DCC's (and fire the device timers due). */
  | { readonly type: 'time'; readonly now: number; readonly ack?: number }
  | { readonly type: 'stop' };

export type FromWorker =
  | {
      readonly type: 'started';
      readonly shard: number;
      /** The devices' KA public keys, 65 bytes each in fleet order, base64: the DCC's SMKI needs them. */
      readonly kaPublic: string;
      readonly startMs: number;
      /** RSS before the devices were built and after, MB. */
      readonly rssBeforeMb: number;
      readonly rssAfterMb: number;
    }
  | {
      readonly type: 'timeAck';
      readonly ack: number;
      /** Messages the worker's devices have published so far. */
      readonly sent: number;
      /** The worker's next device timer, ms; null when none is set. */
      readonly nextDue: number | null;
    }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'stopped' };
