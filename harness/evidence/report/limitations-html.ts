import { POLICY_SETTINGS, type PolicyValue } from '../../../simulator/domain/index.js';
import type { RunResults } from '../../results/result-types.js';
import { escapeXml } from '../xml-text.js';

/** A source path in parentheses ("(simulator/domain/trial/trial.ts)") means nothing to a reviewer. */
const PARENTHESISED_PATHS = /\s*\([^()]*\b[\w./-]+\.ts\b[^()]*\)/g;
/** Nor does a bare one, with the code name after it ("smi-status.ts SMI_TRANSITIONS"). */
const BARE_PATHS = /[\w./-]+\.ts\b(\s+(?:[a-z]\w*[A-Z]\w*|[A-Z][A-Z0-9]*_[A-Z0-9_]+))?/g;

/** A policy setting's "where it applies" without the source files it names. */
export function whereForReaders(text: string): string {
  const plain = text
    .replace(PARENTHESISED_PATHS, '')
    .replace(BARE_PATHS, '')
    .replace(/\s*;\s*(;\s*)*/g, '; ')
    .replace(/^[\s;,]+|[\s;,]+$/g, '');
  return plain === '' ? '—' : plain;
}

/** Values the run's trials used where they differ from the default: trial policy settings only. */
function trialValuesUsed(results: RunResults): Map<string, Set<string>> {
  const used = new Map<string, Set<string>>();
  for (const s of results.scenarios) {
    for (const t of s.reports?.sscTrialReport.trials ?? []) {
      for (const [key, value] of Object.entries(t.policy as unknown as Record<string, PolicyValue>)) {
        const id = `trial.${key}`;
        const set = used.get(id) ?? new Set<string>();
        set.add(`${String(value)} (${t.trialId} in ${s.id})`);
        used.set(id, set);
      }
    }
  }
  return used;
}

/**
 * The report's limitations: every modelling decision the rules leave open, as trialsim's policy
 * registry holds it, with the value this run used. So a reviewer never reads one of trialsim's
 * own choices as a DCC fact.
 */
export function limitationsHtml(results: RunResults): string {
  const used = trialValuesUsed(results);
  const rows = POLICY_SETTINGS.map((s) => {
    const other = [...(used.get(s.id) ?? [])].filter((v) => !v.startsWith(`${String(s.value)} (`));
    return `<tr data-setting="${escapeXml(s.id)}"><td><strong>${escapeXml(s.title)}</strong><br><code>${escapeXml(s.id)}</code></td><td><code>${escapeXml(String(s.value))}</code>${
      other.length === 0
        ? ''
        : `<div class="warn-text">this run also used: ${escapeXml(other.join('; '))}</div>`
    }</td><td>${escapeXml(s.description)}</td><td>${escapeXml(whereForReaders(s.whereItApplies))}</td></tr>`;
  }).join('');
  return `<section class="limitations" id="limitations"><h2>Limitations: trialsim's modelling decisions</h2>
<p>The trial rules and the DCC's public interface specifications leave the points below open. trialsim makes each one a named setting and simulates the value shown; where this run's trials chose another value, it is named. These are the simulation's decisions, not statements of how the DCC behaves.</p>
<table id="limitations-table" class="grid-table"><thead><tr><th>Setting</th><th>Value used</th><th>What it decides</th><th>Where it applies</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}
