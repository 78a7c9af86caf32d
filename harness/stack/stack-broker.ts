import {
  type ActivityTracker,
  BrokerAccessControl,
  type BrokerPrincipal,
  type BrokerProbe,
  brokerClientId,
  deriveBrokerCredentials,
  describeRefusal,
  type EmbeddedBroker,
  MAX_MESSAGE_BYTES,
  MqttTransport,
  probeBroker,
  SharedMqttConnection,
  startEmbeddedBroker,
  type Topics,
  type TransportFaultSink,
} from '../../simulator/adapters/index.js';
import type { Clock } from '../../simulator/ports/index.js';
import type { MessageTrace } from '../../simulator/trace/index.js';
import type { StackOptions } from './stack-options.js';

/** Real-time pause between reconnection attempts when sessions are persistent. */
const RECONNECT_PERIOD_MS = 50;

/** The bus a stack's parties meet on, and how this process's own parties connect to it. */
export interface StackBroker {
  /** The embedded broker; undefined with an external one. */
  readonly broker: EmbeddedBroker | undefined;
  /** Where external devices and processes connect. */
  readonly brokerUrl: string;
  /**
   * Asks an external broker about itself (software, round trips) on a connection of its own;
   * undefined with the embedded one, which is aedes in this process, reached over a Unix socket
   * (no Nagle there) and publishing no version on `$SYS`. Bounded, never rejects.
   */
  readonly probe: (() => Promise<BrokerProbe>) | undefined;
  /** The embedded broker's access control (it also holds the refusal counts). */
  readonly accessControl: BrokerAccessControl;
  /** Connects one of this process's parties, logged in as itself. */
  connect(principal: BrokerPrincipal): Promise<MqttTransport>;
  /** One connection for every simulated device (StackOptions.deviceConnection 'shared'). */
  connectDeviceGateway(): Promise<SharedMqttConnection>;
  /**
   * Closes every connection `connect` and `connectDeviceGateway` opened, those still connecting
   * included (once they settle): what a stack that fails half-way through starting must do, or
   * its clients keep the process alive (and an external broker's sessions open).
   */
  closeOpened(): Promise<void>;
}

/** What the stack's broker set-up reads of the run besides its options. */
export interface StackBrokerContext {
  readonly namespace: string;
  readonly topics: Topics;
  readonly trace: MessageTrace;
  readonly clock: Clock;
  readonly tracker: ActivityTracker;
  /** Where the parties' connection faults go (RunFaults). */
  readonly onFault: TransportFaultSink;
}

/** Starts the embedded broker (unless the options name an external one) behind access control. */
export async function startStackBroker(
  options: Pick<StackOptions, 'seed' | 'brokerUrl' | 'persistentSessions' | 'brokerPort' | 'brokerHost'>,
  { namespace, topics, trace, clock, tracker, onFault }: StackBrokerContext,
): Promise<StackBroker> {
  // Each party logs in as itself and may use only its own topics; refusals go in the trace.
  const accessControl = new BrokerAccessControl({
    seed: options.seed,
    topics,
    maxPayloadBytes: MAX_MESSAGE_BYTES,
    // A refused login is traced as unauthenticated, never under the name it claimed.
    onRefusal: (refusal) =>
      trace.add({
        at: clock.now(),
        from: refusal.principal,
        to: 'broker',
        kind: 'notice',
        summary: describeRefusal(refusal),
        detail: { brokerRefusal: refusal },
      }),
  });
  const broker =
    options.brokerUrl === undefined
      ? await startEmbeddedBroker({
          accessControl,
          localSocket: true,
          ...(options.brokerPort === undefined ? {} : { port: options.brokerPort }),
          ...(options.brokerHost === undefined ? {} : { host: options.brokerHost }),
        })
      : undefined;
  // External devices and processes use brokerUrl; this process's own parties the local socket.
  const brokerUrl = options.brokerUrl ?? (broker as EmbeddedBroker).url;
  const localUrl = broker?.localUrl ?? brokerUrl;
  // How to close each connection opened, or undefined for one that failed to open.
  const opened: Promise<(() => Promise<void>) | undefined>[] = [];
  const track = <T>(connecting: Promise<T>, close: (connection: T) => Promise<void>): Promise<T> => {
    opened.push(connecting.then((connection) => () => close(connection)).catch(() => undefined));
    return connecting;
  };
  const closeOpened = async (): Promise<void> => {
    const closers = await Promise.all(opened.splice(0));
    await Promise.allSettled(closers.map((close) => close?.()));
  };
  const connect = (principal: BrokerPrincipal) =>
    track(
      MqttTransport.connect({
        url: localUrl,
        clientId: brokerClientId(namespace, principal),
        ...deriveBrokerCredentials(options.seed, principal),
        tracker,
        onFault,
        ...(options.persistentSessions ? { clean: false, reconnectPeriod: RECONNECT_PERIOD_MS } : {}),
      }),
      (transport) => transport.close(),
    );
  const connectDeviceGateway = () =>
    track(
      SharedMqttConnection.connect({
        url: localUrl,
        clientId: brokerClientId(namespace, { role: 'deviceGateway', shard: 0 }),
        ...deriveBrokerCredentials(options.seed, { role: 'deviceGateway', shard: 0 }),
        tracker,
        onFault,
      }),
      (gateway) => gateway.closeAll(),
    );
  // Logged in as the DCC (a configured mosquitto admits only the run's parties; mosquitto-acl.ts
  // lets the DCC read the version), under a client id of its own so it takes over no party's
  // session.
  const externalUrl = options.brokerUrl;
  const probe =
    externalUrl === undefined
      ? undefined
      : () =>
          probeBroker({
            url: externalUrl,
            clientId: `${brokerClientId(namespace, { role: 'dcc' })}-probe`,
            ...deriveBrokerCredentials(options.seed, { role: 'dcc' }),
            topic: topics.probe(),
          });
  return { broker, brokerUrl, probe, accessControl, connect, connectDeviceGateway, closeOpened };
}
