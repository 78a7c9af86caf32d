import { describe, expect, it } from 'vitest';
import type { Figure } from '../../../bench/figure-table.js';
import {
  figuresMarkdown,
  figuresTable,
  README_END,
  README_START,
  type RunRecord,
  spliceReadme,
} from '../../../bench/figures-doc.js';

const figures: Figure[] = [
  {
    section: '1. Service requests per second',
    what: '11.2 Read Firmware Version',
    value: '4,000 SR/s',
    beside: 'bare limit 8,000 → ratio 0.50 | 5 rounds',
    met: true,
  },
  { section: '3. Wall time', what: 'suite', value: '3 s', beside: 'target < 30 s', met: false },
  { section: '3. Wall time', what: 'info', value: '1', beside: 'for information', met: undefined },
];
const run: RunRecord = {
  started: '2026-12-03T19:05:00.000Z',
  node: 'v20.20.0',
  cpus: 2,
  loadStart: 0.42,
  loadEnd: 1.07,
  seconds: 312.4,
  figures,
};

describe('npm run bench -- --write: the documents come from one run', () => {
  it('the table has one row per figure, escapes pipes and marks met, missed and information', () => {
    const table = figuresTable(figures).split('\n');
    expect(table).toHaveLength(2 + figures.length);
    expect(table[2]).toContain('ratio 0.50 \\| 5 rounds');
    expect(table[2]?.endsWith('| ✔ |')).toBe(true);
    expect(table[3]?.endsWith('| ✘ missed |')).toBe(true);
    expect(table[4]?.endsWith('|  |')).toBe(true);
  });

  it('the README block is replaced between its markers, everything else kept, and records the load', () => {
    const readme = `# t\n\nintro\n\n${README_START}\nold figures 0.59\n${README_END}\n\n## Next\n`;
    const out = spliceReadme(readme, run);
    expect(out.startsWith('# t\n\nintro\n\n')).toBe(true);
    expect(out.endsWith(`${README_END}\n\n## Next\n`)).toBe(true);
    expect(out).not.toContain('old figures 0.59');
    expect(out).toContain('load average 0.4 at the start and 1.1 at the end');
    expect(out).toContain('2 CPUs');
    expect(out).toContain('1 target(s) missed');
    // Regenerating is idempotent: the second run replaces the first run's block.
    expect(spliceReadme(out, run)).toBe(out);
  });

  it('a README without the markers is an error naming them, not a silent no-op', () => {
    expect(() => spliceReadme('# no block\n', run)).toThrow(/bench:figures:start/);
  });

  it('FIGURES.md holds this run’s figures and the method, nothing else', () => {
    const doc = figuresMarkdown(run, '## Method\n\nhow.');
    expect(doc).toContain('started 2026-12-03T19:05:00.000Z');
    expect(doc).toContain('| 1 | 11.2 Read Firmware Version |');
    expect(doc.trimEnd().endsWith('## Method\n\nhow.')).toBe(true);
  });
});
