import type { RunResults } from '../../results/result-types.js';
import { byRuleText, refusalTotals, refusalWords } from '../broker-refusals.js';
import { escapeXml } from '../xml-text.js';

/** Scenarios whose refusals are listed one by one; past this they are only counted. */
const LISTED_SCENARIOS = 10;

/**
 * The report's "Refused at the broker" block: how many logins, publishes and subscriptions the
 * embedded broker refused, by rule, and the first few of each scenario. A refused login proved
 * nothing, so it is shown as an unauthenticated client and the user name it gave as a claim,
 * never under a party's name.
 */
export function refusalsHtml(results: RunResults): string {
  const totals = refusalTotals(results);
  if (!totals.watched) {
    return '<h3 id="refusals">Refused at the broker</h3><p class="muted">Not recorded: every scenario ran on an external broker, whose refusals trialsim does not see.</p>';
  }
  if (totals.total === 0) {
    return '<h3 id="refusals">Refused at the broker</h3><p>None: the embedded broker refused no login, publish or subscription.</p>';
  }
  const listed = totals.scenarios.slice(0, LISTED_SCENARIOS);
  const rows = listed
    .map(
      (s) =>
        `<tr><td><a href="#scenario-${escapeXml(s.id)}">${escapeXml(s.id)}</a></td><td class="num">${s.total}</td><td>${s.first
          .map((r) => `<code>${escapeXml(r.rule)}</code> ${escapeXml(refusalWords(r))}`)
          .join(
            '<br>',
          )}${s.total > s.first.length ? `<br><span class="muted">… and ${s.total - s.first.length} more, only counted</span>` : ''}</td></tr>`,
    )
    .join('');
  const more =
    totals.scenarios.length > listed.length
      ? `<p class="muted">… and ${totals.scenarios.length - listed.length} more scenarios with refusals (results.json has each).</p>`
      : '';
  return `<h3 id="refusals">Refused at the broker</h3>
<p>${totals.total} refused in all (${escapeXml(byRuleText(totals))}). Each is counted; the first few of each scenario are kept in full. A refused login is shown as an unauthenticated client: the user name it gave is only its claim.</p>
<table class="grid-table"><thead><tr><th>Scenario</th><th>Refused</th><th>First refusals</th></tr></thead><tbody>${rows}</tbody></table>${more}`;
}
