import { describe, expect, it } from 'vitest';
import { conformanceHtml } from '../../../../../harness/evidence/report/conformance-html.js';

/** The device under test's conformance.json, shown as the conformance suite recorded it. */
describe('conformance section', () => {
  it('is absent without conformance.json', () => {
    expect(conformanceHtml(undefined)).toBe('');
  });

  it('renders every case with its verdict as a badge, and escapes what the file holds', () => {
    const html = conformanceHtml({
      device: 'esme1',
      cases: [
        { id: 'DEV-AUTH-MAC', verdict: 'passed', note: '<script>x</script>' },
        { id: 'DEV-REPLAY', verdict: 'failed', note: 'counter & replay' },
      ],
    });
    expect(html).toContain('id="conformance"');
    expect(html).toContain('<span class="badge v-passed">passed</span>');
    expect(html).toContain('<span class="badge v-failed">failed</span>');
    expect(html).toContain('DEV-REPLAY');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('counter &amp; replay');
  });

  it('says so when conformance.json does not hold an object', () => {
    expect(conformanceHtml('conformance.json is not JSON')).toMatch(/does not hold a JSON object/);
  });
});
