import { relative } from 'node:path';
import { TrialsimError } from '../../simulator/errors.js';
import { captureScenarioEvidence } from '../evidence/scenario-capture.js';
import type { ScenarioResult, StepResult, TraceExcerpt, Verdict } from '../results/result-types.js';
import type { ScenarioTrace } from '../results/scenario-trace.js';
import { USER_PARTIES } from '../stack/parties.js';
import { SimStack } from '../stack/sim-stack.js';
import { STEP_ACTIONS } from './actions/action-registry.js';
import type { StepAction } from './actions/step-action.js';
import { STATE_CHECKS } from './checks/check-registry.js';
import { checkOutcome } from './checks/outcome-check.js';
import type { StateCheck } from './checks/state-check.js';
import { ExpectationFailure } from './expectation-failure.js';
import { instantiateStep } from './fleets/fleet-templates.js';
import { keepHeapSmallFor, SMALL_HEAP_FROM_DEVICES } from './large-fleet-heap.js';
import { recordOutstandingRequests } from './outstanding-requests.js';
import type { RunContext } from './run-context.js';
import type { LoadedScenario } from './scenario-loader.js';
import { type ScenarioStep, stepSchema } from './scenario-schema.js';
import { deferApproval, scenarioPolicy, trialApproval } from './trial-setup.js';

export interface RunOptions {
  readonly seed: string;
  readonly brokerUrl?: string;
  /** Real-time guard for waiting on one response; exceeding it is a harness error. */
  readonly waitGuardMs?: number;
  readonly onStep?: (scenario: string, step: StepResult) => void;
  /** Progress inside a long step, e.g. "home-037 (37 of 100)". */
  readonly onProgress?: (scenario: string, text: string) => void;
  /** Receives the scenario's decoded message trace when it ends (for the evidence bundle). */
  readonly onTrace?: (trace: ScenarioTrace) => void;
  /**
   * Scenario device ids that are real devices under test (`--dut`): the stack does not simulate
   * them, and whoever provides them connects them in `onStackStarted` (the device-under-test bridge).
   */
  readonly externalDevices?: readonly string[];
  /** Called once the stack is up, before the first step: where a real device is attached. */
  readonly onStackStarted?: (stack: SimStack, scenario: LoadedScenario) => Promise<void>;
  /**
   * `duis`: every DCC User reaches the DCC with signed DUIS XML over HTTP (`run --users-over duis`);
   * `mqtt` (the default): each as its scenario's `parties:` says, MQTT where it says nothing.
   */
  readonly usersOver?: 'mqtt' | 'duis';
  /** How many trace entries up to a failure to show with it (default 12). */
  readonly aroundCount?: number;
  /** Told why the stack could not start (the suite stops at an unreachable broker). */
  readonly onStackFailed?: (err: unknown) => void;
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
    fixtures: scenario.fixtures.map((f) => relative(process.cwd(), f) || f),
  };
  let stack: SimStack;
  keepHeapSmallFor(scenario.devices.length);
  try {
    stack = await SimStack.start({
      seed,
      start: scenario.start,
      devices: scenario.devices,
      cpl: scenario.cpl,
      ...(options.brokerUrl === undefined ? {} : { brokerUrl: options.brokerUrl }),
      namespace: `${scenario.definition.scenario}-${process.pid}-${Math.floor(realStart)}`.slice(0, 64),
      ...(options.externalDevices === undefined ? {} : { externalDevices: options.externalDevices }),
      // A broker restart fault needs parties that reconnect and sessions that survive it.
      ...(usesBrokerRestart(scenario) ? { persistentSessions: true } : {}),
      duisUsers: duisUsersOf(scenario, options.usersOver),
      // A fleet past the open-file limit shares one connection instead of failing to start.
      deviceConnection: 'auto',
      // A large fleet's trace is read only at the scenario's end (evidence) and around a failure, so
      // it spills to disk; a small one stays in memory, where spilling cost full-trial-100 a fifth
      // more wall time (4.7-5.0 s against 3.8-4.3 s) for memory it never needed.
      spillTrace: scenario.devices.length >= SMALL_HEAP_FROM_DEVICES,
    });
    // A device that cannot be attached ends the scenario, and the stack must not outlive it.
    await options.onStackStarted?.(stack, scenario).catch(async (err: unknown) => {
      await stack.stop();
      throw err;
    });
  } catch (err) {
    // A scenario that needs a simulated device where a device under test stands is skipped, not an error.
    const notApplicable = err instanceof TrialsimError && err.code === 'DUT_NOT_APPLICABLE';
    if (!notApplicable) options.onStackFailed?.(err);
    return {
      ...base,
      verdict: notApplicable ? 'skipped' : 'error',
      message: notApplicable ? err.message : `could not start the simulated stack: ${(err as Error).message}`,
      virtualEnd: base.virtualStart,
      steps: [],
      messageCount: 0,
      timing: { realMs: Math.round(performance.now() - realStart) },
    };
  }
  const context: RunContext = {
    stack,
    named: new Map(),
    // Over DUIS every message is XSD-checked (up to seconds each on a loaded machine; sim-stack.ts).
    waitGuardMs: options.waitGuardMs ?? (stack.duis === undefined ? 10_000 : 120_000),
    fleets: scenario.fleets,
    progress: (text) => options.onProgress?.(base.id, text),
    async runStepFor(template, with_) {
      const parsed = stepSchema.safeParse(instantiateStep(template, with_));
      if (!parsed.success) {
        throw new TrialsimError(
          'SCENARIO_INVALID',
          `fleet template step: ${parsed.error.issues[0]?.message}`,
        );
      }
      await executeStep(parsed.data as ScenarioStep, context);
    },
  };
  const aroundCount = options.aroundCount ?? 12;
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
        steps.push(skipped(index, step as ScenarioStep, stack, scenario.stepLines[index]));
        continue;
      }
      const result = await runStep(
        index,
        step as ScenarioStep,
        context,
        aroundCount,
        scenario.stepLines[index],
      );
      steps.push(result);
      options.onStep?.(base.id, result);
      if (result.verdict !== 'passed') {
        verdict = result.verdict;
        message = `step ${index + 1} (${result.title}): ${result.message ?? result.verdict}`;
      }
    }
  } finally {
    recordOutstandingRequests(stack);
    await stack.stop();
  }
  const evidence = captureScenarioEvidence(stack, base.id, scenario.start);
  options.onTrace?.(evidence.trace);
  return {
    ...base,
    verdict,
    ...(message === undefined ? {} : { message }),
    virtualEnd: new Date(stack.clock.now()).toISOString(),
    steps,
    messageCount: stack.trace.length,
    reports: evidence.reports,
    timeline: evidence.timeline,
    devices: evidence.devices,
    environment: evidence.environment,
    timing: { realMs: Math.round(performance.now() - realStart) },
  };
}

/**
 * Sets the run's policy values (the scenario's `policy:` over the registry's defaults) and has the
 * SSC approve the scenario's trials on a started stack (also used by `trialsim up`). A trial
 * declared `approval: step` waits for its `ssc: { approve }` step. A preinstalled device declared
 * with its trial must then be counted by it (membership follows its firmware).
 */
export async function approveTrials(
  scenario: LoadedScenario,
  stack: SimStack,
): Promise<{ verdict: Verdict; message: string } | undefined> {
  const policy = scenarioPolicy(scenario.definition);
  await stack.dcc.administer({ kind: 'setPolicy', policy }).settled;
  for (const trial of scenario.definition.trials) {
    if (trial.approval === 'step') {
      deferApproval(stack, trial);
      continue;
    }
    const outcome = stack.dcc.administer({
      kind: 'approveTrial',
      approval: trialApproval(trial, scenario.start, policy),
    });
    await outcome.settled;
    if (outcome.ok) {
      if (trial.expectRefusal !== undefined) {
        return {
          verdict: 'failed',
          message: `the SSC approved trial ${trial.trialId}; expected refusal ${trial.expectRefusal}`,
        };
      }
    } else if (trial.expectRefusal === undefined) {
      return {
        verdict: 'error',
        message: `set-up: trial ${trial.trialId} refused (${outcome.rule}): ${outcome.reason}`,
      };
    } else if (trial.expectRefusal !== outcome.rule) {
      return {
        verdict: 'failed',
        message: `trial ${trial.trialId} refused by ${outcome.rule}; expected ${trial.expectRefusal}`,
      };
    }
  }
  for (const device of scenario.definition.devices) {
    if (
      device.trial === undefined ||
      scenario.definition.trials.find((t) => t.trialId === device.trial)?.approval === 'step'
    )
      continue;
    const eui = stack.deviceSpec(device.id).eui;
    if (stack.dcc.view.trials.get(device.trial)?.commissioned.includes(eui) !== true) {
      return {
        verdict: 'failed',
        message: `set-up: ${device.id} is declared on trial ${device.trial} but the trial does not count it`,
      };
    }
  }
  return undefined;
}

function actionOf(step: ScenarioStep): { action: StepAction<unknown>; spec: unknown } | undefined {
  for (const action of STEP_ACTIONS as readonly StepAction<unknown>[]) {
    if (step[action.key] !== undefined) return { action, spec: step[action.key] };
  }
  return undefined;
}

function stepTitle(index: number, step: ScenarioStep): string {
  if (step.title !== undefined) return step.title;
  const found = actionOf(step);
  if (found !== undefined) return found.action.title(found.spec);
  return `check ${Object.keys(step.expect ?? {}).join(', ') || `step ${index + 1}`}`;
}

function requirementsOf(step: ScenarioStep): string[] {
  if (step.requirement === undefined) return [];
  return Array.isArray(step.requirement) ? step.requirement : [step.requirement];
}

function skipped(index: number, step: ScenarioStep, stack: SimStack, line: number | undefined): StepResult {
  return {
    index,
    ...(line === undefined ? {} : { line }),
    title: stepTitle(index, step),
    kind: actionOf(step)?.action.key ?? 'expect',
    requirements: requirementsOf(step),
    verdict: 'skipped',
    virtualTime: new Date(stack.clock.now()).toISOString(),
    ...(step.expect === undefined ? {} : { expectation: step.expect }),
    traceRange: [stack.trace.length, stack.trace.length],
    timing: { realMs: 0 },
  };
}

async function runStep(
  index: number,
  step: ScenarioStep,
  context: RunContext,
  aroundCount: number,
  line: number | undefined,
): Promise<StepResult> {
  const { stack } = context;
  const started = performance.now();
  const firstSeq = stack.trace.length + 1;
  const found = actionOf(step);
  const common = {
    index,
    ...(line === undefined ? {} : { line }),
    title: stepTitle(index, step),
    kind: found?.action.key ?? 'expect',
    requirements: requirementsOf(step),
    virtualTime: new Date(stack.clock.now()).toISOString(),
    ...(step.expect === undefined ? {} : { expectation: step.expect }),
  };
  const finish = (verdict: Verdict, extra: Partial<StepResult> = {}): StepResult => ({
    ...common,
    verdict,
    virtualEnd: new Date(stack.clock.now()).toISOString(),
    ...extra,
    ...withDeviceUnderTestNotes(verdict, extra.message, stack),
    traceRange: [firstSeq, stack.trace.length],
    ...(verdict === 'passed' ? {} : { around: traceAround(stack, aroundCount) }),
    timing: { realMs: Math.round(performance.now() - started) },
  });
  try {
    await executeStep(step, context);
    return finish('passed');
  } catch (err) {
    if (err instanceof ExpectationFailure) {
      return finish('failed', { message: err.message, expected: err.expected, actual: err.actual });
    }
    // A step the harness could not carry out (an input it could not read, a party gone) is in
    // the trace too, where the reader of the evidence looks for what happened, with its code.
    const code = err instanceof TrialsimError ? err.code : undefined;
    stack.trace.add({
      at: stack.clock.now(),
      from: 'harness',
      to: 'harness',
      kind: 'notice',
      summary: `step ${index + 1} (${common.title}) could not be carried out: ${(err as Error).message}`,
      ...(code === undefined ? {} : { detail: { code } }),
    });
    return finish('error', { message: (err as Error).message });
  }
}

/** A failing step's message ends with what a device under test failed to do (no answer, a second device). */
function withDeviceUnderTestNotes(
  verdict: Verdict,
  message: string | undefined,
  stack: SimStack,
): { message?: string } {
  const notes = stack.externalDeviceNotes(); // read every step, so a note belongs to its step
  if (verdict === 'passed') return {};
  if (notes.length === 0) return message === undefined ? {} : { message };
  return { message: [message ?? verdict, ...notes].join(' — ') };
}

/** Acts, lets the bus settle, then checks: what every step (and every fleet sub-step) does. */
async function executeStep(step: ScenarioStep, context: RunContext): Promise<void> {
  const found = actionOf(step);
  const outcome = found === undefined ? undefined : await found.action.run(found.spec, context);
  await context.stack.settle();
  if (step.expect !== undefined) {
    if (outcome !== undefined) checkOutcome(step.expect, outcome);
    else await checkStates(step.expect as Record<string, unknown>, context);
  }
}

/** The last messages before the failure: what the DCC saw as things went wrong. */
function traceAround(stack: SimStack, count: number): TraceExcerpt[] {
  const last = stack.trace.length;
  if (last === 0) return [];
  return stack.trace.around(last, count - 1, 0).map((e) => ({
    seq: e.seq,
    at: new Date(e.at).toISOString(),
    from: e.from,
    to: e.to,
    kind: e.kind,
    summary: e.summary,
  }));
}

async function checkStates(expect: Record<string, unknown>, context: RunContext): Promise<void> {
  for (const check of STATE_CHECKS as readonly StateCheck<unknown>[]) {
    if (expect[check.key] !== undefined) await check.check(expect[check.key], context);
  }
}

function usesBrokerRestart(scenario: LoadedScenario): boolean {
  return scenario.definition.steps.some(
    (step) => (step as { fault?: { brokerRestart?: boolean } }).fault?.brokerRestart === true,
  );
}

/** The Users that speak DUIS in this run: all with `--users-over duis`, else those the scenario names. */
function duisUsersOf(scenario: LoadedScenario, usersOver: RunOptions['usersOver']): string[] {
  if (usersOver === 'duis') return USER_PARTIES.map((p) => p.name);
  return Object.entries(scenario.definition.parties)
    .filter(([, p]) => p.interface === 'duis')
    .map(([name]) => name);
}
