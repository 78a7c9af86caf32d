import { approveTrial, addCplEntry, setCplStatus } from '../../simulator/domain/dcc/trial-administration.js';
import { lookupSrv } from '../../simulator/domain/duis/srv-catalogue.js';
import type { Eui } from '../../simulator/domain/eui.js';
import { DEFAULT_TRIAL_POLICY } from '../../simulator/domain/trial/trial.js';
import { TrialsimError } from '../../simulator/errors.js';
import type { FinalOutcome, RequestHandle, SigningMode } from '../../simulator/parties/dcc-user-agent.js';
import { addDuration, parseDuration } from '../../simulator/time/durations.js';
import type { ScenarioResult, StepResult, Verdict } from '../results/result-types.js';
import { DCC_EUI, partyByName } from '../stack/parties.js';
import { SimStack } from '../stack/sim-stack.js';
import { ExpectationFailure } from './expectation-failure.js';
import { checkOutcome, checkState } from './expectations.js';
import { guard, type RunContext } from './run-context.js';
import { defaultBody } from './request-bodies.js';
import type { LoadedScenario } from './scenario-loader.js';
import type { ScenarioStep, SendStep } from './scenario-schema.js';

export interface RunOptions {
  readonly seed: string;
  readonly brokerUrl?: string;
  /** Real-time guard for waiting on one response; exceeding it is a harness error. */
  readonly waitGuardMs?: number;
  readonly onStep?: (scenario: string, step: StepResult) => void;
}

/** Runs one scenario on a fresh stack and returns its result; never throws for scenario problems. */
export async function runScenario(scenario: LoadedScenario, options: RunOptions): Promise<ScenarioResult> {
  const seed = scenario.definition.seed ?? options.seed;
  const realStart = performance.now();
  const base = {
    id: scenario.definition.scenario,
    title: scenario.definition.title,
    file: scenario.file,
    tags: scenario.definition.tags,
    seed,
    virtualStart: new Date(scenario.start).toISOString(),
  };
  let stack: SimStack;
  try {
    stack = await SimStack.start({
      seed,
      start: scenario.start,
      devices: scenario.devices,
      cpl: scenario.cpl,
      ...(options.brokerUrl === undefined ? {} : { brokerUrl: options.brokerUrl }),
      namespace: `${scenario.definition.scenario}-${process.pid}-${Math.floor(realStart)}`.slice(0, 64),
    });
  } catch (err) {
    return {
      ...base,
      verdict: 'error',
      message: `could not start the simulated stack: ${(err as Error).message}`,
      virtualEnd: base.virtualStart,
      steps: [],
      messageCount: 0,
      timing: { realMs: Math.round(performance.now() - realStart) },
    };
  }
  const context: RunContext = { stack, named: new Map(), waitGuardMs: options.waitGuardMs ?? 10_000 };
  const steps: StepResult[] = [];
  let verdict: Verdict = 'passed';
  let message: string | undefined;
  try {
    const setupProblem = await approveTrials(scenario, stack);
    if (setupProblem !== undefined) {
      verdict = setupProblem.verdict;
      message = setupProblem.message;
    }
    for (const [index, step] of scenario.definition.steps.entries()) {
      if (verdict !== 'passed') {
        steps.push(skipped(index, step, stack));
        continue;
      }
      const result = await runStep(index, step, context);
      steps.push(result);
      options.onStep?.(base.id, result);
      if (result.verdict !== 'passed') {
        verdict = result.verdict;
        message = `step ${index + 1} (${result.title}): ${result.message ?? result.verdict}`;
      }
    }
  } finally {
    await stack.stop();
  }
  return {
    ...base,
    verdict,
    ...(message === undefined ? {} : { message }),
    virtualEnd: new Date(stack.clock.now()).toISOString(),
    steps,
    messageCount: stack.trace.length,
    timing: { realMs: Math.round(performance.now() - realStart) },
  };
}

async function approveTrials(scenario: LoadedScenario, stack: SimStack): Promise<{ verdict: Verdict; message: string } | undefined> {
  for (const trial of scenario.definition.trials) {
    const outcome = approveTrial(stack.dcc.core.state, {
      trialId: trial.trialId,
      cpaCertificateReference: trial.cpaCertificateReference,
      manufacturer: trial.manufacturer,
      deviceType: trial.deviceType,
      sponsor: partyByName(trial.sponsor).eui,
      start: trial.start === undefined ? scenario.start : Date.parse(trial.start),
      policy: { ...DEFAULT_TRIAL_POLICY, ...definedOnly(trial.policy) },
    });
    if (outcome.ok) {
      if (trial.expectRefusal !== undefined) {
        return { verdict: 'failed', message: `the SSC approved trial ${trial.trialId}; expected refusal ${trial.expectRefusal}` };
      }
      await stack.dcc.execute(outcome.effects);
    } else if (trial.expectRefusal === undefined) {
      return { verdict: 'error', message: `set-up: trial ${trial.trialId} refused (${outcome.rule}): ${outcome.reason}` };
    } else if (trial.expectRefusal !== outcome.rule) {
      return { verdict: 'failed', message: `trial ${trial.trialId} refused by ${outcome.rule}; expected ${trial.expectRefusal}` };
    }
  }
  return undefined;
}

function stepTitle(index: number, step: ScenarioStep): string {
  if (step.title !== undefined) return step.title;
  if (step.send !== undefined) return `${step.send.as} sends ${step.send.srv}${step.send.device ? ` for ${step.send.device}` : ''}`;
  if (step.advance !== undefined) return `advance ${step.advance}`;
  if (step.advanceTo !== undefined) return `advance to ${step.advanceTo}`;
  if (step.cpl !== undefined) return 'CPL change';
  return `check ${Object.keys(step.expect ?? {}).join(', ') || `step ${index + 1}`}`;
}

function stepKind(step: ScenarioStep): string {
  for (const kind of ['send', 'advance', 'advanceTo', 'cpl'] as const) if (step[kind] !== undefined) return kind;
  return 'expect';
}

function requirementsOf(step: ScenarioStep): string[] {
  if (step.requirement === undefined) return [];
  return Array.isArray(step.requirement) ? step.requirement : [step.requirement];
}

function skipped(index: number, step: ScenarioStep, stack: SimStack): StepResult {
  return {
    index,
    title: stepTitle(index, step),
    kind: stepKind(step),
    requirements: requirementsOf(step),
    verdict: 'skipped',
    virtualTime: new Date(stack.clock.now()).toISOString(),
    traceRange: [stack.trace.length, stack.trace.length],
    timing: { realMs: 0 },
  };
}

async function runStep(index: number, step: ScenarioStep, context: RunContext): Promise<StepResult> {
  const { stack } = context;
  const started = performance.now();
  const firstSeq = stack.trace.length + 1;
  const common = {
    index,
    title: stepTitle(index, step),
    kind: stepKind(step),
    requirements: requirementsOf(step),
    virtualTime: new Date(stack.clock.now()).toISOString(),
  };
  const finish = (verdict: Verdict, extra: Partial<StepResult> = {}): StepResult => ({
    ...common,
    verdict,
    ...extra,
    traceRange: [firstSeq, stack.trace.length],
    timing: { realMs: Math.round(performance.now() - started) },
  });
  try {
    let outcome: FinalOutcome | undefined;
    if (step.send !== undefined) outcome = await runSend(step.send, context);
    else if (step.advance !== undefined) await stack.advanceTo(addDuration(stack.clock.now(), parseDuration(step.advance)));
    else if (step.advanceTo !== undefined) await stack.advanceTo(Date.parse(step.advanceTo));
    else if (step.cpl !== undefined) await runCplChange(step.cpl, context);
    await stack.settle();
    if (step.expect !== undefined) {
      if (step.send !== undefined) checkOutcome(step.expect, outcome as FinalOutcome);
      else await checkState(step.expect, context);
    }
    return finish('passed');
  } catch (err) {
    if (err instanceof ExpectationFailure) {
      return finish('failed', { message: err.message, expected: err.expected, actual: err.actual });
    }
    return finish('error', { message: (err as Error).message });
  }
}

async function runCplChange(change: NonNullable<ScenarioStep['cpl']>, context: RunContext): Promise<void> {
  const state = context.stack.dcc.core.state;
  const now = context.stack.clock.now();
  for (const entry of change.add ?? []) {
    await context.stack.dcc.execute(addCplEntry(state, { ...entry, imageHash: entry.imageHash }, now));
  }
  if (change.setStatus !== undefined) {
    const { cpaCertificateReference, status } = change.setStatus;
    await context.stack.dcc.execute(setCplStatus(state, (e) => e.cpaCertificateReference === cpaCertificateReference, status, now));
  }
}

async function runSend(send: SendStep, context: RunContext): Promise<FinalOutcome> {
  const { stack } = context;
  const agent = stack.user(send.as);
  const def = lookupSrv(send.srv);
  const spec = send.device === undefined ? undefined : stack.deviceSpec(send.device);
  const chfEui = spec?.chf === undefined ? undefined : stack.deviceSpec(spec.chf).eui;
  let target: Eui | undefined;
  if (def?.nonDevice) target = DCC_EUI;
  else if (send.srv === '8.11') target = chfEui;
  else target = spec?.eui;
  if (target === undefined) throw new TrialsimError('SCENARIO_INVALID', `send ${send.srv}: name the device it is for`);
  const signing: SigningMode =
    send.signing === undefined || typeof send.signing === 'string'
      ? (send.signing ?? 'valid')
      : { signWith: stack.pki.organisation(send.signing.signWith).ds.keys.privateKey };
  const handle = agent.request({
    srv: send.srv,
    target,
    body: { ...defaultBody(send.srv, spec, chfEui), ...send.body },
    signing,
    ...(send.commandVariant === undefined ? {} : { commandVariant: send.commandVariant }),
    ...(send.counter === undefined ? {} : { counter: send.counter === 'replay' ? agent.lastCounter : send.counter }),
  });
  if (send.name !== undefined) context.named.set(send.name, handle);
  if (send.wait === 'first') {
    const first = await guard(handle.firstResponse, context.waitGuardMs, `the first response to ${handle.requestId}`);
    return { kind: 'response', response: first };
  }
  return guard(handle.final, context.waitGuardMs, `the outcome of ${handle.requestId}`);
}


function definedOnly<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
