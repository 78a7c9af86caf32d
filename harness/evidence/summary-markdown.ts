import type { RunResults } from '../results/result-types.js';
import { applicationCoverage } from './application-coverage.js';
import type { Application } from './application-file.js';
import { byRuleText, refusalTotals } from './broker-refusals.js';
import { requirementRows, statusCounts } from './requirements/requirement-status.js';

const MARK = {
  passed: '✅ passed',
  failed: '❌ failed',
  error: '⚠️ error',
  skipped: '⏭ skipped',
  'not run': '⏭ not run',
  'not evidenced': '— not evidenced',
} as const;

/** Markdown cells must not break the table. */
const cell = (text: unknown) => String(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The broker's refusals in one line, when the run watched any (the embedded broker). */
function refusalLine(results: RunResults): string[] {
  const totals = refusalTotals(results);
  if (!totals.watched) return [];
  return [
    totals.total === 0
      ? '- Refused at the broker: none'
      : `- Refused at the broker: ${totals.total} (${cell(byRuleText(totals))}; a refused login's user name is only its claim)`,
  ];
}

/** summary.md: the run at a glance, for a pull request, a CI job summary or an e-mail. */
export function summaryMarkdown(results: RunResults, application: Application | undefined): string {
  const out: string[] = [];
  out.push(`# trialsim evidence — ${MARK[results.verdict]}`, '');
  if (application !== undefined) {
    out.push(
      `**${cell(application.title ?? 'Trial application')}** — ${cell(application.manufacturer.name)}, ` +
        `${cell(application.deviceModel.deviceType)} ${cell(application.deviceModel.model)} ` +
        `(hardware ${cell(application.deviceModel.hardwareVersion)}, firmware ${cell(application.deviceModel.firmwareVersion)}), ` +
        `sponsored by ${cell(application.sponsorSupplier.name)}.`,
      '',
    );
    const coverage = applicationCoverage(application, results);
    out.push(
      coverage.verdict === 'covered'
        ? '**The evidence covers the application.**'
        : '**The evidence does not cover the application:**',
      ...coverage.reasons.map((r) => `- ${cell(r)}`),
      '',
    );
  }
  const s = results.summary;
  out.push(
    `- Run id: \`${results.runId ?? 'n/a'}\` · seed \`${results.seed}\` · trialsim ${results.tool.version}`,
    `- Scenarios: ${s.passed} passed, ${s.failed} failed, ${s.error} errors, ${s.skipped} skipped`,
    ...refusalLine(results),
    '',
    '## Scenarios',
    '',
    '| scenario | verdict | steps | messages | virtual time |',
    '| --- | --- | ---: | ---: | --- |',
  );
  for (const r of results.scenarios) {
    out.push(
      `| ${cell(r.id)} — ${cell(r.title)} | ${MARK[r.verdict]} | ${r.steps.length} | ${r.messageCount} | ${r.virtualStart} → ${r.virtualEnd} |`,
    );
  }
  const rows = requirementRows(results);
  const counts = statusCounts(rows);
  out.push(
    '',
    '## Requirements',
    '',
    `${counts.passed} passed, ${counts.failed} failed, ${counts['not run']} not run, ${counts['not evidenced']} not evidenced.`,
    '',
    '| requirement | status | scenarios (steps) |',
    '| --- | --- | --- |',
  );
  for (const row of rows) {
    const where = row.citations.map((c) => `${cell(c.scenario)} (${c.steps.join(', ')})`).join('; ') || '—';
    out.push(`| ${cell(row.id)} | ${MARK[row.status]} | ${where} |`);
  }
  const problems = results.scenarios.filter((r) => r.verdict === 'failed' || r.verdict === 'error');
  if (problems.length > 0) {
    out.push('', '## What went wrong', '');
    for (const r of problems) {
      out.push(`- **${cell(r.id)}**: ${cell(r.message ?? r.verdict)}`);
      const bad = r.steps.find((st) => st.verdict === 'failed' || st.verdict === 'error');
      if (bad?.expected !== undefined) out.push(`  - expected: \`${cell(JSON.stringify(bad.expected))}\``);
      if (bad?.actual !== undefined) out.push(`  - actual: \`${cell(JSON.stringify(bad.actual))}\``);
    }
  }
  out.push(
    '',
    'Full report: `report.html` (open offline in any browser). Check the bundle with `trialsim verify <folder>`.',
    '',
  );
  return out.join('\n');
}
