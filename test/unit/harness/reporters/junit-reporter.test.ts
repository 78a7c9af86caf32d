import { describe, expect, it } from 'vitest';
import { junitXml, xmlEscape } from '../../../../harness/reporters/junit-reporter.js';
import type { RunResults, ScenarioResult, Verdict } from '../../../../harness/results/result-types.js';
import { xmlProblems } from '../../../support/xml-problems.js';

function scenario(id: string, verdict: Verdict, message?: string): ScenarioResult {
  return {
    id,
    title: `Title of ${id} <with> "markup" & 'quotes'`,
    file: `scenarios/${id}.yaml`,
    tags: ['security'],
    seed: 'x',
    verdict,
    ...(message === undefined ? {} : { message }),
    virtualStart: '2027-01-04T09:00:00.000Z',
    virtualEnd: '2027-01-04T09:00:00.000Z',
    steps: [
      {
        index: 0,
        line: 7,
        title: 'send',
        kind: 'send',
        requirements: ['EV-1'],
        verdict: verdict === 'skipped' ? 'skipped' : verdict,
        virtualTime: '2027-01-04T09:00:00.000Z',
        expected: { response: 'I0' },
        actual: { response: 'E21', reason: 'no <response> & \u0001 control' },
        traceRange: [1, 2],
        around: [
          {
            seq: 1,
            at: '2027-01-04T09:00:00.000Z',
            from: 'a',
            to: 'b',
            kind: 'fault',
            summary: 'fault: dropped <x>',
          },
        ],
        timing: { realMs: 5 },
      },
    ],
    messageCount: 2,
    timing: { realMs: 1234 },
  };
}

function run(scenarios: ScenarioResult[]): RunResults {
  const summary = { passed: 0, failed: 0, error: 0, skipped: 0 };
  for (const s of scenarios) summary[s.verdict]++;
  return {
    schemaVersion: 1,
    tool: { name: 'trialsim', version: '0.1.0' },
    seed: 'x',
    verdict: 'failed',
    summary,
    scenarios,
    timing: { startedAt: '2026-01-01T00:00:00.000Z', realMs: 2000 },
  } as unknown as RunResults;
}

describe('JUnit XML (--junit)', () => {
  it('is well-formed with one testcase per scenario and failure/error/skipped elements by verdict', () => {
    const xml = junitXml(
      run([
        scenario('ok', 'passed'),
        scenario('bad', 'failed', 'step 1 (send): expected I0, got E21'),
        scenario('broke', 'error', 'could not start the simulated stack: <boom>'),
        scenario('skip', 'skipped'),
      ]),
    );
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).toMatch(/<testsuite [^>]*tests="4" failures="1" errors="1" skipped="1"/);
    expect(xml).toMatch(
      /<failure message="scenarios\/bad.yaml:7: step 1 \(send\): expected I0, got E21" type="ExpectationFailure">/,
    );
    expect(xml).toMatch(
      /<error message="scenarios\/broke.yaml:7: could not start the simulated stack: &lt;boom&gt;"/,
    );
    expect(xml).toMatch(/<skipped/);
    // The failure body carries expected against actual and the messages around it.
    expect(xml).toContain('expected: {&quot;response&quot;:&quot;I0&quot;}');
    expect(xml).toContain('fault: dropped &lt;x&gt;');
    expect(xml).not.toContain('\u0001');
  });

  it('a failed or errored testcase names the file and line of the step that decided it; a passed one no line', () => {
    const xml = junitXml(
      run([scenario('ok', 'passed'), scenario('bad', 'failed', 'step 1 (send): expected I0')]),
    );
    expect(xml).toMatch(
      /<testcase name="bad: [^"]*" classname="trialsim.security" file="scenarios\/bad.yaml" line="7" /,
    );
    expect(xml).toMatch(
      /<testcase name="ok: [^"]*" classname="trialsim.security" file="scenarios\/ok.yaml" time=/,
    );
    expect(xml).toContain('at scenarios/bad.yaml:7 (step 1)');
  });

  it('escapes every character XML reserves and drops the ones it cannot carry', () => {
    expect(xmlEscape(`<a href="x">&'\u0000\u0007ok`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;ok');
  });
});
