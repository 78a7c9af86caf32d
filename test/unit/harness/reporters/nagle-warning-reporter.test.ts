import { describe, expect, it } from 'vitest';
import { NagleWarningReporter, nagleWarning } from '../../../../harness/reporters/nagle-warning-reporter.js';
import type { ScenarioResult } from '../../../../harness/results/result-types.js';
import type { ScenarioEnvironment } from '../../../../harness/results/scenario-evidence-types.js';

const URL = 'mqtt://127.0.0.1:1883';
const scenarioOn = (broker: ScenarioEnvironment['broker']): ScenarioResult =>
  ({
    id: 'commissioning',
    environment: { broker, deviceWire: 'GBCS', userInterface: 'envelope' },
  }) as unknown as ScenarioResult;
const delayed = scenarioOn({
  kind: 'external',
  url: URL,
  timing: { roundTripMs: 0.2, pairedRoundTripMs: 44, nagleDelay: true },
});

describe('the Nagle warning', () => {
  it('names the broker, the figures and the fix', () => {
    expect(nagleWarning(delayed)).toBe(
      `warning: the broker at ${URL} delays its answers (Nagle's algorithm: two messages at once took 44 ms against 0.2 ms for one), which slows every request and response; for mosquitto, add \`set_tcp_nodelay true\` to mosquitto.conf`,
    );
  });

  it('says nothing for a broker without the delay, one not measured, or the embedded one', () => {
    const fast = { roundTripMs: 0.2, pairedRoundTripMs: 0.4, nagleDelay: false };
    expect(nagleWarning(scenarioOn({ kind: 'external', url: URL, timing: fast }))).toBeUndefined();
    expect(nagleWarning(scenarioOn({ kind: 'external', url: URL }))).toBeUndefined();
    expect(nagleWarning(scenarioOn({ kind: 'embedded' }))).toBeUndefined();
  });

  it('is printed once a run, however many scenarios show the delay', () => {
    const lines: string[] = [];
    const reporter = new NagleWarningReporter((line) => lines.push(line));
    reporter.onScenarioEnd(scenarioOn({ kind: 'embedded' }));
    reporter.onScenarioEnd(delayed);
    reporter.onScenarioEnd(delayed);
    expect(lines).toEqual([nagleWarning(delayed)]);
  });
});
