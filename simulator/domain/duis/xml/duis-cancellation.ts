import { GBCS_CANCELLATION_AT, GBCS_CANCELLATION_TIME } from '../../gbcs/payloads/asn1/der-values.js';

/**
 * A DUIS User cancels a held future-dated command (11.3 Activate Firmware, 6.15.1 Update
 * Security Credentials, held by the device; 6.23, held by trialsim's DCC) by sending it again
 * dated 3000-12-31T00:00:00Z, as the DUIS 5.4
 * cancellation templates do; GBCS's cancellation is the future-dated form at 99991231235959Z
 * (GBCS.md §7.7). trialsim's DCC maps one to the other (the choice GBCS.md §11 records for this
 * UNCONFIRMED point; policy setting gbcs.cs06CancellationTime). Without the mapping a template's
 * cancellation reached the device as a command held until the year 3000, which displaced the one
 * it meant to cancel.
 */
export const DUIS_CANCELLATION_AT = Date.UTC(3000, 11, 31, 0, 0, 0);

/** The written form the DUIS 5.4 cancellation templates use. */
const DUIS_CANCELLATION_TEXT = '3000-12-31T00:00:00.00Z';

/** A DUIS ExecutionDateTime as trialsim's body has it: the DUIS cancellation becomes GBCS's. */
export function executionTimeFromDuis(text: string): string {
  return Date.parse(text) === DUIS_CANCELLATION_AT ? GBCS_CANCELLATION_TIME.toISOString() : text;
}

/** trialsim's body's execution time as a DUIS User writes it: GBCS's cancellation becomes DUIS's. */
export function executionTimeToDuis(value: string | undefined): string | undefined {
  return value !== undefined && Date.parse(value) === GBCS_CANCELLATION_AT ? DUIS_CANCELLATION_TEXT : value;
}
