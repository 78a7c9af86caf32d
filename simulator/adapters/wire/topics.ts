import { type Eui, parseEui } from '../../domain/eui.js';

/**
 * The topic scheme (PROTOCOL.md §1). Every topic has exactly one publisher role and one
 * subscriber, so the broker's access control can pin each party to its own topics, and a
 * namespace keeps parallel runs apart on one shared broker.
 *
 *   trialsim/v1/{ns}/dcc/in/{userEUI}    User → DCC     service requests
 *   trialsim/v1/{ns}/dcc/out/{userEUI}   DCC → User     responses and DCC alerts
 *   trialsim/v1/{ns}/wan/down/{devEUI}   DCC → device   GBCS commands
 *   trialsim/v1/{ns}/wan/up/{devEUI}     device → DCC   GBCS responses and alerts
 */
export const TOPIC_ROOT = 'trialsim/v1';

export type TopicRoute =
  | { readonly channel: 'dccIn' | 'dccOut'; readonly party: Eui }
  | { readonly channel: 'wanDown' | 'wanUp'; readonly party: Eui };

const SEGMENTS = {
  dccIn: 'dcc/in',
  dccOut: 'dcc/out',
  wanDown: 'wan/down',
  wanUp: 'wan/up',
} as const;

const CHANNELS = Object.entries(SEGMENTS).map(([channel, segment]) => ({
  channel: channel as keyof typeof SEGMENTS,
  prefix: `${segment}/`,
}));

export class Topics {
  /** `trialsim/v1/{ns}/`, built once: every message's topic is built and routed with it. */
  private readonly prefix: string;

  constructor(readonly namespace: string) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(namespace)) {
      throw new RangeError(`namespace "${namespace}" must be 1-64 letters, digits, - or _`);
    }
    this.prefix = `${TOPIC_ROOT}/${namespace}/`;
  }

  dccIn(user: Eui): string {
    return `${this.prefix}${SEGMENTS.dccIn}/${user}`;
  }
  dccOut(user: Eui): string {
    return `${this.prefix}${SEGMENTS.dccOut}/${user}`;
  }
  wanDown(device: Eui): string {
    return `${this.prefix}${SEGMENTS.wanDown}/${device}`;
  }
  wanUp(device: Eui): string {
    return `${this.prefix}${SEGMENTS.wanUp}/${device}`;
  }
  /**
   * Where the broker probe (broker-probe.ts) times its round trips: no party subscribes to it,
   * and no ACL lets a party write it, so its empty messages reach nobody.
   */
  probe(): string {
    return `${this.prefix}probe`;
  }
  /** What the DCC subscribes to. */
  dccSubscriptions(): string[] {
    return [`${this.prefix}${SEGMENTS.dccIn}/+`, `${this.prefix}${SEGMENTS.wanUp}/+`];
  }

  /** Splits a topic of this namespace into its channel and party; undefined for anything else. */
  route(topic: string): TopicRoute | undefined {
    if (!topic.startsWith(this.prefix)) return undefined;
    for (const { channel, prefix } of CHANNELS) {
      if (topic.startsWith(prefix, this.prefix.length)) {
        try {
          return { channel, party: parseEui(topic.slice(this.prefix.length + prefix.length)) };
        } catch {
          return undefined;
        }
      }
    }
    return undefined;
  }
}
