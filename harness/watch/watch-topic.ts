import { TOPIC_ROOT } from '../../simulator/adapters/wire/topics.js';

/**
 * Where `trialsim up` publishes its decoded message stream (JSON watch entries, one per MQTT
 * message) for `trialsim watch` and other tools: beside the stack's own topics, outside the
 * channels the DCC and devices subscribe to.
 */
export function watchTopic(namespace: string): string {
  return `${TOPIC_ROOT}/${namespace}/watch`;
}
