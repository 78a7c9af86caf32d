import { describe, expect, it } from 'vitest';
import {
  buildIndexProgram,
  COMMAND_INDEX,
  isTopLevelHelpOrVersion,
  toolVersion,
} from '../../../../harness/cli/command-index.js';
import { buildProgram } from '../../../../harness/cli/main.js';

describe('trialsim --help without loading the commands (CLI start-up)', () => {
  it('the command index says what every command says: same terms and descriptions, same order', async () => {
    const real = await buildProgram(() => undefined);
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

  it('the top-level help printed from the index is the full program’s, line for line, exit statuses included', async () => {
    const real = await buildProgram(() => undefined);
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

describe('a command line loads only the command it names (CLI start-up)', () => {
  it('every command, named first, gets a program holding it (and only its own module’s commands)', async () => {
    const all = (await buildProgram(() => undefined)).commands.map((c) => c.name());
    expect(all.length).toBeGreaterThan(15);
    for (const name of all) {
      const names = (await buildProgram(() => undefined, [name, '--some-option'])).commands.map((c) =>
        c.name(),
      );
      expect(names, `trialsim ${name}`).toContain(name);
      expect(names.length, `trialsim ${name} loads ${names.join(', ')}`).toBeLessThanOrEqual(2);
    }
  });

  it('help, no command or an unknown one loads every command, so commander can list them and suggest one', async () => {
    const all = (await buildProgram(() => undefined)).commands.length;
    for (const argv of [[], ['help', 'run'], ['--help', 'run'], ['rn'], ['-x']])
      expect((await buildProgram(() => undefined, argv)).commands, argv.join(' ')).toHaveLength(all);
  });
});
