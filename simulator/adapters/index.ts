/**
 * The simulator's adapters (MQTT, wire framing, serial, DUIS over HTTP, faults).
 *
 * The public entry: harness/ imports this layer only through this file (the layer rule in
 * biome.json; docs/architecture.md). It exports what the harness uses; files inside
 * simulator/ import each other directly. A harness file that needs more adds it here.
 */
export { CallbackReceiver } from './duis-http/callback-receiver.js';
export { canonicalRequestXml, type DuisAnswer, DuisClient } from './duis-http/duis-client.js';
export { DuisServer } from './duis-http/duis-server.js';
export {
  type DuisTrust,
  organisationCertificateHashes,
  pemSigner,
  trialsimDuisTrust,
  ZAZ1_FILES,
  zaz1DuisTrust,
  zaz1UserSigner,
} from './duis-http/duis-trust.js';
export { DuisUserLink } from './duis-http/duis-user-link.js';
export { putText } from './duis-http/http-post.js';
export { decodeOutcomeHeader, OUTCOME_HEADER } from './duis-http/trialsim-outcome-header.js';
export type { XmlSigner } from './duis-http/xml-signature.js';
export { DuisSchema } from './duis-http/xsd-validator.js';
export { FaultPlan } from './faults/fault-plan.js';
export { type DelayedFailureSink, FaultyTransport } from './faults/faulty-transport.js';
export { LINK_FAULT_ACTIONS, type LinkFaultAction } from './faults/link-fault.js';
export { ActivityTracker } from './mqtt/activity-tracker.js';
export {
  BrokerAccessControl,
  type BrokerPrincipal,
  type BrokerRefusal,
  type BrokerRefusalSummary,
  brokerClientId,
  deriveBrokerCredentials,
  describeRefusal,
} from './mqtt/broker-access-control.js';
export { type BrokerProbe, probeBroker } from './mqtt/broker-probe.js';
export type { TransportFault, TransportFaultSink } from './mqtt/connection-watch.js';
export { type EmbeddedBroker, removeSocketFilesOf, startEmbeddedBroker } from './mqtt/embedded-broker.js';
export { MqttTransport } from './mqtt/mqtt-transport.js';
export { NAGLE_EXTRA_MS, NAGLE_FIX, type RoundTripVerdict } from './mqtt/nagle-delay.js';
export { SharedMqttConnection } from './mqtt/shared-mqtt-connection.js';
export { type BridgeEvent, SerialBridge } from './serial/serial-bridge.js';
export { SerialLink } from './serial/serial-link.js';
export { SerialTransport } from './serial/serial-transport.js';
export { TraceSpillFile } from './trace/trace-spill-file.js';
export { decodeCbor, encodeCbor, MAX_MESSAGE_BYTES } from './wire/cbor-codec.js';
export { cborContentCodec, describeIssues } from './wire/envelope.js';
export { TOPIC_ROOT, Topics } from './wire/topics.js';
