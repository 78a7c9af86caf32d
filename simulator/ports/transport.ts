/** A party's connection to the message bus: the only way parties talk to each other. */
export type MessageHandler = (topic: string, payload: Uint8Array) => void | Promise<void>;

export interface Transport {
  readonly clientId: string;
  publish(topic: string, payload: Uint8Array): Promise<void>;
  /** Handlers run one message at a time, in arrival order. */
  subscribe(filters: readonly string[], handler: MessageHandler): Promise<void>;
  close(): Promise<void>;
}
