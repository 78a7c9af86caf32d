import { TOPIC_ROOT } from '../../simulator/adapters/index.js';

/**
 * Where `trialsim up` publishes its decoded message stream (JSON watch entries, one per MQTT
 * message) for `trialsim watch` and other tools: beside the stack's own topics, outside the
 * channels the DCC and devices subscribe to.
 */
export function watchTopic(namespace: string): string {
  return `${TOPIC_ROOT}/${namespace}/watch`;
}

/** Where `up` says `stopped` as it shuts down, so watchers end instead of waiting forever. */
export function watchStatusTopic(watch: string): string {
  return `${watch}/status`;
}

export const STOPPED = 'stopped';
