import type { FinalOutcome } from '../../../simulator/parties/index.js';
import { ExpectationFailure, matchesSubset } from '../expectation-failure.js';
import type { OutcomeExpectation } from '../schema-parts.js';

function describeOutcome(outcome: FinalOutcome): Record<string, unknown> {
  if (outcome.kind === 'deviceAlert')
    return { deviceAlert: outcome.alert.alertCode, details: outcome.alert.details };
  const r = outcome.response;
  return { response: r.responseCode, rule: r.rule, reason: r.reason, body: r.body };
}

/** Checks how a service request ended against what the scenario expected. */
export function checkOutcome(want: OutcomeExpectation, outcome: FinalOutcome): void {
  const actual = describeOutcome(outcome);
  const fail = (what: string): never => {
    throw new ExpectationFailure(what, want, actual);
  };
  if (want.response !== undefined) {
    if (outcome.kind !== 'response') {
      fail(
        `expected response ${want.response}, but the device refused the command with alert ${String(actual.deviceAlert)}`,
      );
    } else if (outcome.response.responseCode !== want.response) {
      fail(
        `expected ${want.response}, got ${outcome.response.responseCode}${outcome.response.reason ? ` (${outcome.response.reason})` : ''}`,
      );
    }
  }
  if (want.deviceAlert !== undefined) {
    if (outcome.kind !== 'deviceAlert')
      fail(`expected the device to refuse with ${want.deviceAlert}, got response ${String(actual.response)}`);
    else if (outcome.alert.alertCode !== want.deviceAlert)
      fail(`expected device alert ${want.deviceAlert}, got ${outcome.alert.alertCode}`);
  }
  if (want.rule !== undefined && actual.rule !== want.rule)
    fail(`expected rule ${want.rule}, got ${String(actual.rule)}`);
  if (want.reasonIncludes !== undefined && !String(actual.reason ?? '').includes(want.reasonIncludes)) {
    fail(`expected the reason to mention "${want.reasonIncludes}", got "${String(actual.reason)}"`);
  }
  if (want.body !== undefined && !matchesSubset(want.body, actual.body))
    fail('response body differs from what was expected');
}
