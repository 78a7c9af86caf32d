import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseApplication } from '../../../../harness/evidence/application-file.js';
import { reportHtml } from '../../../../harness/evidence/report/report-html.js';
import { summaryMarkdown } from '../../../../harness/evidence/summary-markdown.js';
import { PACKAGE_ROOT } from '../../../../harness/package-root.js';
import type { RunResults, ScenarioResult, Verdict } from '../../../../harness/results/result-types.js';
import type { BrokerRefusals, TestedDevice } from '../../../../harness/results/scenario-evidence-types.js';

const APPLICATION_FILE = join(PACKAGE_ROOT, 'fixtures', 'application', 'example-application.yaml');
const application = parseApplication(readFileSync(APPLICATION_FILE, 'utf8'), APPLICATION_FILE);

const NO_REFUSALS: BrokerRefusals = { total: 0, byRule: {}, first: [] };

function scenario(
  id: string,
  verdict: Verdict,
  extra: { message?: string; refusals?: BrokerRefusals; devices?: TestedDevice[] } = {},
): ScenarioResult {
  return {
    id,
    title: `${id} | with a pipe`,
    file: `scenarios/${id}.yaml`,
    tags: [],
    seed: 'seed-1',
    verdict,
    ...(extra.message === undefined ? {} : { message: extra.message }),
    virtualStart: '2027-01-04T09:00:00.000Z',
    virtualEnd: '2028-07-04T09:00:00.000Z',
    steps: [
      {
        index: 0,
        line: 7,
        title: 'send 6.23',
        kind: 'send',
        requirements: [`REQ-${id}`],
        verdict: verdict === 'error' ? 'error' : verdict,
        virtualTime: '2027-01-04T09:00:00.000Z',
        ...(verdict === 'failed' ? { expected: { response: 'I0' }, actual: { response: 'E21' } } : {}),
        traceRange: [1, 2],
        timing: { realMs: 5 },
      },
    ],
    messageCount: 12,
    ...(extra.devices === undefined ? {} : { devices: extra.devices }),
    environment: {
      broker: { kind: 'embedded' },
      deviceWire: 'GBCS',
      userInterface: 'DUIS',
      ...(extra.refusals === undefined ? {} : { brokerRefusals: extra.refusals }),
    },
    timing: { realMs: 1234 },
  } as unknown as ScenarioResult;
}

function run(scenarios: ScenarioResult[]): RunResults {
  const summary = { passed: 0, failed: 0, error: 0, skipped: 0 };
  for (const s of scenarios) summary[s.verdict]++;
  return {
    schemaVersion: 3,
    runId: 'run-abc',
    tool: { name: 'trialsim', version: '9.9.9' },
    seed: 'seed-1',
    verdict: summary.failed + summary.error > 0 ? 'failed' : 'passed',
    summary,
    scenarios,
    timing: { startedAt: '2026-01-01T00:00:00.000Z', realMs: 2000 },
  } as unknown as RunResults;
}

const FLOOD: BrokerRefusals = {
  total: 400,
  byRule: { 'BROKER-AUTH': 398, 'BROKER-ACL-PUBLISH': 2 },
  first: [
    {
      action: 'connect',
      clientId: '"attacker-0"',
      principal: '(unauthenticated)',
      claimedUsername: '"user-00-db-12-34-56-78-90-a1"',
      rule: 'BROKER-AUTH',
      reason: 'bad user name or password',
    },
  ],
};

describe('summary.md', () => {
  it('says the verdict, the application and whether the evidence covers it, the counts and each scenario', () => {
    const md = summaryMarkdown(
      run([scenario('commissioning', 'passed', { refusals: NO_REFUSALS })]),
      application,
    );
    const lines = md.split('\n');
    expect(lines[0]).toBe('# trialsim evidence — ✅ passed');
    expect(md).toContain(
      `**${application.title ?? 'Trial application'}** — ${application.manufacturer.name}`,
    );
    // No trial device in this run: the summary must not claim the application is covered.
    expect(md).toContain('**The evidence does not cover the application:**');
    expect(md).toContain('- no trial device was tested in this run');
    expect(md).toContain('- Run id: `run-abc` · seed `seed-1` · trialsim 9.9.9');
    expect(md).toContain('- Scenarios: 1 passed, 0 failed, 0 errors, 0 skipped');
    expect(md).toContain('- Refused at the broker: none');
    // A pipe in a title is escaped so the table keeps its columns.
    expect(md).toContain(
      '| commissioning — commissioning \\| with a pipe | ✅ passed | 1 | 12 | 2027-01-04T09:00:00.000Z → 2028-07-04T09:00:00.000Z |',
    );
    expect(md).toContain('| REQ-commissioning | ✅ passed | commissioning (1) |');
    expect(md).not.toContain('## What went wrong');
  });

  it('a failed run says what went wrong, with the step expected and actual', () => {
    const md = summaryMarkdown(
      run([
        scenario('ok', 'passed'),
        scenario('bad', 'failed', { message: 'step 1 (send): expected I0, got E21' }),
      ]),
      undefined,
    );
    expect(md.split('\n')[0]).toBe('# trialsim evidence — ❌ failed');
    expect(md).not.toContain('cover the application');
    expect(md).toContain('- Scenarios: 1 passed, 1 failed, 0 errors, 0 skipped');
    const wrong = md.slice(md.indexOf('## What went wrong'));
    expect(wrong).toContain('- **bad**: step 1 (send): expected I0, got E21');
    expect(wrong).toContain('  - expected: `{"response":"I0"}`');
    expect(wrong).toContain('  - actual: `{"response":"E21"}`');
    expect(wrong).not.toContain('**ok**');
    expect(md).toContain('| REQ-bad | ❌ failed | bad (1) |');
  });

  it('refusals are summed over the scenarios by rule, and a refused login is only a claim', () => {
    const md = summaryMarkdown(
      run([scenario('a', 'passed', { refusals: FLOOD }), scenario('b', 'passed', { refusals: FLOOD })]),
      undefined,
    );
    expect(md).toContain(
      "- Refused at the broker: 800 (BROKER-ACL-PUBLISH 4, BROKER-AUTH 796; a refused login's user name is only its claim)",
    );
  });

  it('a run on an external broker says nothing of refusals it never saw', () => {
    expect(summaryMarkdown(run([scenario('a', 'passed')]), undefined)).not.toContain('Refused at the broker');
  });
});

describe('report.html: refused at the broker', () => {
  const page = (results: RunResults) => reportHtml({ results, trace: [] });

  it('counts by rule, lists the first refusals of each scenario as unauthenticated claims', () => {
    const html = page(run([scenario('flood', 'passed', { refusals: FLOOD })]));
    const block = html.slice(
      html.indexOf('<h3 id="refusals">'),
      html.indexOf('</section>', html.indexOf('<h3 id="refusals">')),
    );
    expect(block).toContain('400 refused in all (BROKER-ACL-PUBLISH 2, BROKER-AUTH 398)');
    expect(block).toContain(
      'connect by unauthenticated client claiming user name &quot;user-00-db-12-34-56-78-90-a1&quot;: bad user name or password',
    );
    expect(block).toContain('… and 399 more, only counted');
    expect(block).toContain('<a href="#scenario-flood">flood</a>');
  });

  it('says none when the embedded broker refused nothing, and not recorded on an external broker', () => {
    expect(page(run([scenario('quiet', 'passed', { refusals: NO_REFUSALS })]))).toContain(
      'None: the embedded broker refused no login, publish or subscription.',
    );
    expect(page(run([scenario('elsewhere', 'passed')]))).toContain(
      'Not recorded: every scenario ran on an external broker',
    );
  });
});
