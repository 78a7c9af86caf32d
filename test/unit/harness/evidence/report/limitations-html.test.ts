import { describe, expect, it } from 'vitest';
import { limitationsHtml, whereForReaders } from '../../../../../harness/evidence/report/limitations-html.js';
import type { RunResults } from '../../../../../harness/results/result-types.js';
import { POLICY_SETTINGS } from '../../../../../simulator/domain/policy/policy-settings.js';

/** The limitations section: the policy registry in a reviewer's words, no source file named. */
describe('limitations from the policy-settings registry', () => {
  it.each([
    ['simulator/domain/dcc/trial-membership.ts', '—'],
    [
      'trial cap at 8.1.1, 11.3 and SSC approval (trial-membership.ts)',
      'trial cap at 8.1.1, 11.3 and SSC approval',
    ],
    ['firmware-reconciliation.ts applyCplRules', '—'],
    ['simulator/domain/duis/response-codes.ts; every refusal', 'every refusal'],
    ['simulator/domain/firmware/firmware-image.ts; 11.3', '11.3'],
    ['GBCS codec, 11.2/11.3 responses', 'GBCS codec, 11.2/11.3 responses'],
  ])('where it applies, for readers: %s → %s', (text, expected) => {
    expect(whereForReaders(text)).toBe(expected);
  });

  it('lists every setting once with its value, and names no source file', () => {
    const html = limitationsHtml({ scenarios: [] } as unknown as RunResults);
    for (const s of POLICY_SETTINGS) expect(html).toContain(`data-setting="${s.id}"`);
    expect(html.match(/<tr data-setting=/g)?.length).toBe(POLICY_SETTINGS.length);
    const text = html.replace(/<[^>]+>/g, ' ');
    expect(text).not.toMatch(/\.ts\b/);
  });
});
