import { describe, expect, it } from 'vitest';
import {
  buildIndexProgram,
  COMMAND_INDEX,
  isTopLevelHelpOrVersion,
  toolVersion,
} from '../../../../harness/cli/command-index.js';
import { buildProgram } from '../../../../harness/cli/main.js';

describe('trialsim --help without loading the commands (CLI start-up)', () => {
  it('the command index says what every command says: same terms and descriptions, same order', () => {
    const real = buildProgram(() => undefined);
    const help = real.createHelp();
    const actual = real.commands.map((cmd) => [help.subcommandTerm(cmd), cmd.description()]);
    for (const [i, [term, description]] of actual.entries()) {
      // Update harness/cli/command-index.ts COMMAND_INDEX when a command's term or description changes.
      expect(COMMAND_INDEX[i], `command-index.ts entry ${i + 1} for \`${term}\``).toEqual([
        term,
        description,
      ]);
    }
    expect(COMMAND_INDEX).toHaveLength(actual.length);
  });

  it('the top-level help printed from the index is the full program’s, line for line, exit statuses included', () => {
    const real = buildProgram(() => undefined);
    const index = buildIndexProgram();
    const afterText = (program: typeof real) => {
      let text = '';
      program.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
      try {
        program.parse(['--help'], { from: 'user' });
      } catch {
        // exitOverride: --help ends in a CommanderError with exit code 0
      }
      return text;
    };
    const expected = afterText(real);
    expect(expected).toContain('Exit status:');
    expect(afterText(index)).toBe(expected);
    expect(index.version()).toBe(real.version());
    expect(toolVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('only a lone --help, -h, help, --version or -V takes the fast path; anything else loads the commands', () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['--version'], ['-V']])
      expect(isTopLevelHelpOrVersion(argv)).toBe(true);
    for (const argv of [[], ['run'], ['run', '--help'], ['help', 'run'], ['--help', 'run'], ['-hV']])
      expect(isTopLevelHelpOrVersion(argv)).toBe(false);
  });
});
