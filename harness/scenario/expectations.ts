import type { FinalOutcome } from '../../simulator/parties/dcc-user-agent.js';
import { partyByName } from '../stack/parties.js';
import { ExpectationFailure, matchesSubset } from './expectation-failure.js';
import type { OutcomeExpectation, StateExpectation } from './scenario-schema.js';
import { guard, type RunContext } from './run-context.js';

function describeOutcome(outcome: FinalOutcome): Record<string, unknown> {
  if (outcome.kind === 'deviceAlert') return { deviceAlert: outcome.alert.alertCode, details: outcome.alert.details };
  const r = outcome.response;
  return { response: r.responseCode, rule: r.rule, reason: r.reason, body: r.body };
}

/** Checks how a service request ended against what the scenario expected. */
export function checkOutcome(expected: OutcomeExpectation | StateExpectation, outcome: FinalOutcome): void {
  const want = expected as OutcomeExpectation;
  const actual = describeOutcome(outcome);
  const fail = (what: string) => {
    throw new ExpectationFailure(what, want, actual);
  };
  if (want.response !== undefined) {
    if (outcome.kind !== 'response') fail(`expected response ${want.response}, but the device refused the command with alert ${String(actual.deviceAlert)}`);
    else if (outcome.response.responseCode !== want.response) {
      fail(`expected ${want.response}, got ${outcome.response.responseCode}${outcome.response.reason ? ` (${outcome.response.reason})` : ''}`);
    }
  }
  if (want.deviceAlert !== undefined) {
    if (outcome.kind !== 'deviceAlert') {
      fail(`expected the device to refuse with ${want.deviceAlert}, got response ${outcome.response.responseCode}`);
    } else if (outcome.alert.alertCode !== want.deviceAlert) {
      fail(`expected device alert ${want.deviceAlert}, got ${outcome.alert.alertCode}`);
    }
  }
  if (want.rule !== undefined && actual.rule !== want.rule) fail(`expected rule ${want.rule}, got ${String(actual.rule)}`);
  if (want.reasonIncludes !== undefined && !String(actual.reason ?? '').includes(want.reasonIncludes)) {
    fail(`expected the reason to mention "${want.reasonIncludes}", got "${String(actual.reason)}"`);
  }
  if (want.body !== undefined && !matchesSubset(want.body, actual.body)) fail('response body differs from what was expected');
}

/** Checks SMI, device, alert, named-request and trial state after the bus has settled. */
export async function checkState(expected: OutcomeExpectation | StateExpectation, context: RunContext): Promise<void> {
  const want = expected as StateExpectation;
  const { stack } = context;
  if (want.smi !== undefined) {
    const spec = stack.deviceSpec(want.smi.device);
    const record = stack.dcc.core.state.smi.get(spec.eui);
    const actual =
      record === undefined
        ? { inSmi: false }
        : {
            status: record.status,
            firmwareVersion: record.firmwareVersion,
            supplier: record.supplier,
            trial: record.trialId ?? null,
          };
    const expectedView: Record<string, unknown> = {};
    if (want.smi.status !== undefined) expectedView.status = want.smi.status;
    if (want.smi.firmwareVersion !== undefined) expectedView.firmwareVersion = want.smi.firmwareVersion;
    if (want.smi.supplier !== undefined) expectedView.supplier = partyByName(want.smi.supplier).eui;
    if (want.smi.trial !== undefined) expectedView.trial = want.smi.trial;
    if (!matchesSubset(expectedView, actual)) {
      throw new ExpectationFailure(`SMI record of ${want.smi.device} differs`, expectedView, actual);
    }
  }
  if (want.device !== undefined) {
    const state = stack.device(want.device.device).state;
    const actual = {
      lifecycle: state.lifecycle,
      firmwareVersion: state.firmwareVersion,
      securityLog: state.securityLog.map((e) => e.code),
    };
    const expectedView: Record<string, unknown> = {};
    if (want.device.lifecycle !== undefined) expectedView.lifecycle = want.device.lifecycle;
    if (want.device.firmwareVersion !== undefined) expectedView.firmwareVersion = want.device.firmwareVersion;
    const logOk = want.device.securityLogIncludes === undefined || actual.securityLog.includes(want.device.securityLogIncludes);
    if (!matchesSubset(expectedView, actual) || !logOk) {
      throw new ExpectationFailure(`device ${want.device.device} state differs`, want.device, actual);
    }
  }
  if (want.alert !== undefined) {
    const agent = stack.user(want.alert.to);
    const eui = want.alert.device === undefined ? undefined : stack.deviceSpec(want.alert.device).eui;
    const found = agent.alerts.some(
      (a) =>
        a.alert === want.alert?.alert &&
        (eui === undefined || a.deviceId === eui) &&
        (want.alert.alertCode === undefined || a.alertCode === want.alert.alertCode),
    );
    if (!found) {
      throw new ExpectationFailure(
        `${want.alert.to} has not received ${want.alert.alert}`,
        want.alert,
        agent.alerts.map((a) => `${a.alert}${a.alertCode ? ` ${a.alertCode}` : ''} ${a.deviceId}`),
      );
    }
  }
  if (want.outcome !== undefined) {
    const { request, ...outcomeExpected } = want.outcome;
    const handle = context.named.get(request);
    if (handle === undefined) throw new ExpectationFailure(`no request named "${request}" was sent earlier`, request, [...context.named.keys()]);
    checkOutcome(outcomeExpected, await guard(handle.final, context.waitGuardMs, `the outcome of ${request}`));
  }
  if (want.trial !== undefined) {
    const trial = stack.dcc.core.state.trials.get(want.trial.trialId);
    const actual =
      trial === undefined
        ? { exists: false }
        : { commissioned: trial.commissioned.length, upgraded: trial.upgraded.size, removed: trial.removed.size, ended: trial.ended };
    const { trialId: _id, ...expectedView } = want.trial;
    if (!matchesSubset(expectedView, actual)) throw new ExpectationFailure(`trial ${want.trial.trialId} differs`, expectedView, actual);
  }
}
