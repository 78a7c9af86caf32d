import { escapeXml } from '../xml-text.js';

const VERDICTS = new Set(['passed', 'failed', 'error', 'skipped', 'not run', 'not evidenced']);

/** A value as HTML: a verdict as a badge, an array of records as a table, a record as key/value rows. */
function valueHtml(value: unknown, depth: number): string {
  if (value === null || value === undefined) return '<span class="muted">—</span>';
  if (typeof value === 'string') {
    return VERDICTS.has(value)
      ? `<span class="badge v-${escapeXml(value.replace(' ', '-'))}">${escapeXml(value)}</span>`
      : escapeXml(value);
  }
  if (typeof value !== 'object') return escapeXml(String(value));
  if (depth > 3) return `<code>${escapeXml(JSON.stringify(value))}</code>`;
  if (Array.isArray(value)) {
    if (value.length === 0) return '<span class="muted">none</span>';
    if (value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) {
      const keys = [...new Set(value.flatMap((v) => Object.keys(v as object)))];
      const head = keys.map((k) => `<th>${escapeXml(k)}</th>`).join('');
      const rows = value
        .map(
          (v) =>
            `<tr>${keys.map((k) => `<td>${valueHtml((v as Record<string, unknown>)[k], depth + 1)}</td>`).join('')}</tr>`,
        )
        .join('');
      return `<table class="grid-table"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
    }
    return value.map((v) => valueHtml(v, depth + 1)).join(', ');
  }
  const rows = Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td>${valueHtml(v, depth + 1)}</td></tr>`)
    .join('');
  return `<table class="kv"><tbody>${rows}</tbody></table>`;
}

/**
 * The device-under-test conformance results (conformance.json, written by the conformance
 * suite and handed to the bundle): rendered from what the file holds, field by field, so the
 * report shows the conformance suite's own findings rather than a second opinion of them.
 */
export function conformanceHtml(conformance: unknown): string {
  if (conformance === undefined) return '';
  const body =
    conformance === null || typeof conformance !== 'object'
      ? '<p class="warn-text">conformance.json does not hold a JSON object.</p>'
      : valueHtml(conformance, 0);
  return `<section class="conformance" id="conformance"><h2>Conformance of the device under test</h2>
<p class="muted">As the conformance suite recorded it in conformance.json, part of this signed bundle.</p>${body}</section>`;
}
