import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, EXIT_CODES_HELP } from '../../../../harness/cli/exit-codes.js';
import { PACKAGE_ROOT } from '../../../../harness/package-root.js';

/** Every exit status the CLI can end with, including those of a signal (128 + its number). */
const STATUSES: number[] = [...new Set<number>(Object.values(EXIT)), 130, 143];

function section(file: string, heading: string): string {
  const text = readFileSync(join(PACKAGE_ROOT, file), 'utf8');
  const start = text.indexOf(heading);
  expect(start, `${file} has no "${heading}"`).toBeGreaterThanOrEqual(0);
  const next = text.indexOf('\n## ', start + heading.length);
  return text.slice(start, next < 0 ? undefined : next);
}

describe('documented exit statuses: every status the CLI uses is in its help, CLI.md and the README', () => {
  it('CLI.md "Exit status" has a row for each status', () => {
    const rows = section('harness/cli/CLI.md', '## Exit status')
      .split('\n')
      .map((line) => /^\|\s*(\d+)\s*\|/.exec(line)?.[1])
      .filter((code) => code !== undefined)
      .map(Number);
    expect([...rows].sort((a, b) => a - b)).toEqual([...STATUSES].sort((a, b) => a - b));
  });

  it('CLI.md names the causes of exit 3 the run reports', () => {
    const text = section('harness/cli/CLI.md', '## Exit status');
    for (const cause of [
      'BROKER_UNREACHABLE',
      'BROKER_CONNECTION_LOST',
      'BROKER-SESSION-TAKEOVER',
      'HANDLER_FAILED',
      'PUBLISH_FAILED',
      'DELAYED_PUBLISH_FAILED',
      'port in use; use --port 0',
      'never 0',
    ])
      expect(text).toContain(cause);
  });

  it('the README and `trialsim --help` name each status', () => {
    const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
    const line = readme.slice(readme.indexOf('Exit status:'), readme.indexOf('"Exit status".'));
    for (const status of STATUSES) {
      expect(line).toMatch(new RegExp(`\`${status}\``));
      expect(EXIT_CODES_HELP).toMatch(new RegExp(`(^|\\n|/)\\s*${status}\\b`));
    }
  });
});
