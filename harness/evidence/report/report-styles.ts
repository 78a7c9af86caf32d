/** The report's only stylesheet, inlined: screen and print (A4, one scenario per page). */
export const REPORT_CSS = `
:root { --ink:#1f2937; --muted:#6b7280; --line:#e5e7eb; --pass:#15803d; --fail:#b91c1c; --err:#b45309; --skip:#6b7280; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; border-bottom: 2px solid var(--line); padding-bottom: 4px; margin-top: 32px; }
h3 { font-size: 16px; margin: 20px 0 8px; } h4 { font-size: 14px; margin: 14px 0 6px; }
.muted { color: var(--muted); }
table { border-collapse: collapse; margin: 6px 0 12px; width: 100%; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: #f3f4f6; }
table.kv th { width: 32%; background: #f9fafb; font-weight: 600; }
code { font: 12px/1.3 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; text-transform: uppercase; }
.v-passed { background: var(--pass); } .v-failed { background: var(--fail); } .v-error { background: var(--err); } .v-skipped, .v-not-run { background: var(--skip); } .v-not-evidenced { background: #9ca3af; }
.coverage { margin: 12px 0; padding: 10px 14px; border-radius: 8px; } .coverage.ok { background: #f0fdf4; color: #166534; } .coverage.warn { background: #fff7ed; color: #9a3412; border: 1px solid #fdba74; }
.coverage ul, .what-went-wrong ol, .verification-banner ul { margin: 6px 0 0 18px; padding: 0; }
.what-went-wrong { margin: 12px 0; padding: 10px 14px; border-radius: 8px; background: #fef2f2; border: 1px solid #fca5a5; } .what-went-wrong h3 { margin-top: 0; color: #b91c1c; }
.verification-banner { margin: 0 0 16px; padding: 12px 16px; border-radius: 8px; background: #b91c1c; color: #fff; } .verification-banner.untrusted { background: #b45309; }
.warn-text { color: #b91c1c; font-weight: 600; } td.num { text-align: right; }
tr.dut td { background: #eff6ff; }
.verdict-banner { margin: 16px 0; padding: 14px 18px; border-radius: 8px; color: #fff; font-size: 20px; font-weight: 700; }
.cover { border: 1px solid var(--line); border-radius: 8px; padding: 18px 22px; }
.cover .subtitle { color: var(--muted); margin-bottom: 12px; }
.diagram { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; padding: 6px; background: #fff; }
svg { max-width: 100%; height: auto; font: 11px system-ui, sans-serif; }
svg.sequence .actor { fill: #eef2ff; stroke: #6366f1; } svg .actor-name { font-weight: 600; font-size: 12px; }
svg .lifeline { stroke: #c7d2fe; stroke-dasharray: 4 3; }
svg .seq { fill: var(--muted); font-size: 10px; }
svg .step-label.step-bad { fill: #b91c1c; }
td.time { white-space: nowrap; font-size: 12px; }
svg .step-rule { stroke: #d1d5db; } svg .step-label { fill: #374151; font-weight: 600; font-size: 11px; }
svg g line, svg g path { stroke-width: 1.4; }
svg .m-sr line, svg .m-sr path { stroke: #2563eb; } svg .m-sr text { fill: #1e40af; }
svg .m-resp line, svg .m-resp path { stroke: #16a34a; } svg .m-resp text { fill: #166534; }
svg .m-resp.m-error line { stroke: #dc2626; } svg .m-resp.m-error text { fill: #b91c1c; }
svg .m-alert line, svg .m-alert path { stroke: #ea580c; } svg .m-alert text { fill: #9a3412; }
svg .m-gbcs line, svg .m-gbcs path { stroke: #7c3aed; } svg .m-gbcs text { fill: #5b21b6; }
svg .m-notice line, svg .m-notice path { stroke: #9ca3af; stroke-dasharray: 3 2; } svg .m-notice text { fill: #4b5563; }
svg .m-bad line, svg .m-bad path { stroke: #dc2626; } svg .m-bad text { fill: #b91c1c; }
svg.timeline .grid { stroke: #f3f4f6; } svg.timeline .tick { fill: var(--muted); font-size: 10px; }
svg.timeline .scenario-end { stroke: #111827; stroke-dasharray: 2 2; } svg.timeline .trial-edge { stroke: #6366f1; stroke-dasharray: 5 3; } svg.timeline .trial-label { fill: #4338ca; font-size: 10px; }
svg.timeline .seg { stroke: #fff; } svg.timeline .seg-label { font-size: 10px; fill: #111827; }
svg.timeline .lane-label { font-size: 11px; }
svg.timeline .ev-upgraded { fill: #15803d; } svg.timeline .ev-removed { stroke: #111827; stroke-width: 2.5; }
.legend { display: flex; flex-wrap: wrap; gap: 12px; font-size: 12px; margin: 4px 0 10px; }
.legend-item i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -2px; border: 1px solid #d1d5db; }
.legend-item i.hatch { background: repeating-linear-gradient(45deg, #fee2e2 0 3px, #dc2626 3px 5px); }
td.warn { background: #fef2f2; color: #b91c1c; font-weight: 600; }
.cross-check { padding: 6px 10px; border-radius: 6px; font-size: 13px; }
.cross-check.ok { background: #f0fdf4; color: #166534; } .cross-check.warn { background: #fef2f2; color: #b91c1c; font-weight: 600; }
.step-failed td, .step-error td { background: #fef2f2; }
nav.toc ol { columns: 2; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section.scenario, section.matrix, section.setup, section.limitations, section.conformance { break-before: page; }
  .diagram { overflow: visible; border: none; padding: 0; }
  tr, .cover, .verdict-banner, svg.timeline, .legend { break-inside: avoid; }
  thead { display: table-header-group; }
  h2, h3, h4 { break-after: avoid; }
  nav.toc { display: none; }
  a { color: inherit; text-decoration: none; }
}
`;
