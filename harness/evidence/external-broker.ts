import type { BrokerProbe } from '../../simulator/adapters/index.js';
import type { ExternalBroker } from '../results/scenario-evidence-types.js';

/**
 * The evidence's record of an external broker: the URL as shown (no credentials) with what the
 * probe learnt, and nothing where it learnt nothing (unknown stays unknown).
 * `givenUrl` is the URL as the user gave it, which a failure message may quote.
 */
export function externalBroker(
  url: string,
  givenUrl: string,
  probe: BrokerProbe | undefined,
): ExternalBroker {
  return {
    kind: 'external',
    url,
    ...(probe?.software === undefined ? {} : { software: probe.software }),
    ...(probe?.failed === undefined ? {} : { probeFailed: probe.failed.replaceAll(givenUrl, url) }),
    ...(probe?.roundTrip === undefined ? {} : { timing: { ...probe.roundTrip } }),
  };
}
