import type {
  OprFigures as DccOprFigures,
  DnoNotification,
  OprReport,
  SscTrialReport,
} from '../../../simulator/domain/index.js';
import type { ScenarioReports } from '../../results/scenario-evidence-types.js';
import { escapeXml } from '../xml-text.js';

/** EUI → party name or device id, for people. */
export type NameOf = (eui: string | null) => string;

/**
 * The SSC and OPR report figures of a scenario, as the DCC reported them,
 * with the harness's own count beside them as a cross-check.
 */
export function figuresHtml(reports: ScenarioReports | undefined, nameOf: NameOf): string {
  if (reports === undefined) return '<p class="muted">No report figures were captured.</p>';
  return [
    `<p class="muted">As of ${escapeXml(reports.asOf)} (virtual time, end of the scenario).</p>`,
    sscHtml(reports.sscTrialReport, nameOf),
    oprHtml(reports.oprReport),
    dnoHtml(reports.dnoNotification, nameOf),
    crossCheckHtml(reports),
  ].join('\n');
}

const counts = (record: Readonly<Record<string, number>>, nameOf?: NameOf) =>
  Object.entries(record)
    .map(([k, v]) => `${escapeXml(nameOf ? nameOf(k) : k)}: ${v}`)
    .join(', ') || '—';

function sscHtml(report: SscTrialReport | undefined, nameOf: NameOf): string {
  if (report === undefined) return '';
  const head = '<h4>SSC trial report — trial devices in the field</h4>';
  if (report.trials.length === 0)
    return `${head}<p class="muted">No trial was approved in this scenario.</p>`;
  const rows = report.trials
    .map(
      (
        t,
      ) => `<tr><td><strong>${escapeXml(t.trialId)}</strong><br><code>${escapeXml(t.cpaCertificateReference)}</code></td>
<td>${escapeXml(t.phase)}<br><span class="muted">${escapeXml(t.window.start.slice(0, 10))} → ${escapeXml(t.window.end.slice(0, 10))}</span></td>
<td>${escapeXml(nameOf(t.sponsor))}</td><td>${t.commissioned} / ${t.policy.maxDevices}</td><td>${t.inField}</td><td>${t.upgraded}</td><td>${t.removed}</td>
<td class="${t.overdue > 0 ? 'warn' : ''}">${t.overdue}</td><td>${counts(t.byStatus)}</td><td>${counts(t.bySupplier, nameOf)}</td></tr>`,
    )
    .join('');
  const devices = report.trials.flatMap((t) =>
    t.devices.map(
      (d) =>
        `<tr><td>${escapeXml(t.trialId)}</td><td>${escapeXml(nameOf(d.deviceId))}</td><td>${escapeXml(`${d.deviceType} ${d.model} ${d.firmwareVersion}`)}</td><td>${escapeXml(d.smiStatus ?? '—')}</td><td class="${d.state === 'overdue' ? 'warn' : ''}">${escapeXml(d.state)}</td><td>${escapeXml(nameOf(d.supplier))}</td><td>${escapeXml(d.commissionedAt)}</td><td>${escapeXml(d.upgradedAt ?? d.removedAt ?? '—')}</td></tr>`,
    ),
  );
  // The SSC's actions and sponsor events, dated, and the policy settings the run changed.
  const actions = report.trials.flatMap((t) =>
    t.actions.map(
      (a) =>
        `<tr><td>${escapeXml(t.trialId)}</td><td>${escapeXml(a.at.slice(0, 10))}</td><td>${escapeXml(a.action)}</td><td>${escapeXml(a.detail)}</td></tr>`,
    ),
  );
  const policy =
    (report.policyDifferences ?? []).length === 0
      ? '<p class="muted">Policy: every setting at its default.</p>'
      : `<p>Policy settings changed from their defaults: ${report.policyDifferences
          .map(
            (d) =>
              `<code>${escapeXml(d.id)}</code> ${escapeXml(String(d.value))} (default ${escapeXml(String(d.default))})`,
          )
          .join(', ')}</p>`;
  const actionsTable = `<table class="grid-table"><thead><tr><th>Trial</th><th>Date</th><th>SSC action or event</th><th>Detail</th></tr></thead><tbody>${actions.join('')}</tbody></table>`;
  return `${head}${policy}<table class="grid-table"><thead><tr><th>Trial</th><th>Phase, window</th><th>Sponsor</th><th>Commissioned / cap</th><th>In field</th><th>Upgraded</th><th>Removed</th><th>Overdue</th><th>In field by SMI status</th><th>In field by supplier</th></tr></thead><tbody>${rows}</tbody></table>
${
  devices.length === 0
    ? ''
    : `<table class="grid-table"><thead><tr><th>Trial</th><th>Device</th><th>Model, firmware</th><th>SMI status</th><th>State</th><th>Supplier</th><th>Commissioned</th><th>Upgraded / removed</th></tr></thead><tbody>${devices.join('')}</tbody></table>`
}
${actionsTable}`;
}

function oprHtml(report: OprReport | undefined): string {
  if (report === undefined) return '';
  const columns: [string, DccOprFigures][] = [
    ['All service requests', report.withTrialDevices],
    ['OPR basis (trial devices excluded)', report.withoutTrialDevices],
    ['Excluded', report.excluded],
  ];
  const rate = (f: DccOprFigures) => (f.successRate === null ? '—' : `${(f.successRate * 100).toFixed(1)} %`);
  const rt = (f: DccOprFigures) =>
    f.responseTimeMs === null
      ? '—'
      : `p50 ${f.responseTimeMs.p50} ms · p90 ${f.responseTimeMs.p90} ms · max ${f.responseTimeMs.max} ms (${f.responseTimeMs.count})`;
  const line = (label: string, cell: (f: DccOprFigures) => string) =>
    `<tr><th>${escapeXml(label)}</th>${columns.map(([, f]) => `<td>${cell(f)}</td>`).join('')}</tr>`;
  return `<h4>OPR report — trial devices kept out of SLA figures</h4>
<p class="muted">Trials excluded from OPR: ${escapeXml(report.excludedTrials.join(', ') || 'none')}.</p>
<table class="kv"><thead><tr><th></th>${columns.map(([h]) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead><tbody>
${line('Service requests', (f) => String(f.requests))}
${line('Succeeded (I0)', (f) => String(f.succeeded))}
${line('Success rate', rate)}
${line('By outcome', (f) => counts(f.byOutcome))}
${line('Device round-trip time (virtual)', rt)}
</tbody></table>`;
}

function dnoHtml(report: DnoNotification | undefined, nameOf: NameOf): string {
  if (report === undefined) return '';
  const rows = report.networkOperators.flatMap((n) =>
    n.trialDevices.map(
      (d) =>
        `<tr><td>${escapeXml(nameOf(n.networkOperator))}</td><td>${escapeXml(nameOf(d.deviceId))}</td><td>${escapeXml(`${d.deviceType} ${d.manufacturer} ${d.model} ${d.firmwareVersion}`)}</td><td>${escapeXml(d.trialId)} (ends ${escapeXml(d.trialEnd.slice(0, 10))})</td><td>${escapeXml(d.smiStatus ?? '—')}</td><td class="${d.overdue ? 'warn' : ''}">${d.overdue ? 'yes' : 'no'}</td></tr>`,
    ),
  );
  return `<h4>DNO notification — trial devices on each network</h4>${
    rows.length === 0
      ? '<p class="muted">No trial device is on a network.</p>'
      : `<table class="grid-table"><thead><tr><th>Network operator</th><th>Device</th><th>Model, firmware</th><th>Trial</th><th>SMI status</th><th>Overdue</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  }`;
}

/** Two independent counts from the same state must agree; a difference is shown, not hidden. */
function crossCheckHtml(reports: ScenarioReports): string {
  const differences: string[] = [];
  for (const mine of reports.trialFigures) {
    const dcc = reports.sscTrialReport?.trials.find((t) => t.trialId === mine.trialId);
    if (dcc === undefined) {
      differences.push(`${mine.trialId}: missing from the SSC report`);
      continue;
    }
    for (const key of ['commissioned', 'inField', 'upgraded', 'removed', 'overdue'] as const) {
      if (dcc[key] !== mine[key])
        differences.push(`${mine.trialId} ${key}: SSC report ${dcc[key]}, harness ${mine[key]}`);
    }
  }
  const opr = reports.oprReport?.withoutTrialDevices.requests;
  if (opr !== undefined && opr !== reports.oprFigures.counted) {
    differences.push(`OPR basis: DCC report ${opr} requests, harness ${reports.oprFigures.counted}`);
  }
  return differences.length === 0
    ? '<p class="cross-check ok">Cross-check: the harness\'s own count of trial devices and OPR requests agrees with the DCC\'s reports.</p>'
    : `<p class="cross-check warn">Cross-check: the harness's own count differs from the DCC's reports — ${escapeXml(differences.join('; '))}.</p>`;
}
