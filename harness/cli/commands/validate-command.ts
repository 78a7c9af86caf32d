import type { Command } from 'commander';
import { loadScenario } from '../../scenario/scenario-loader.js';
import { discoverScenarios } from '../../suite/discover.js';
import { EXIT } from '../exit-codes.js';
import { CONFIG_OPTION, withProjectDefaults } from '../project-defaults.js';

export function registerValidateCommand(program: Command, exit: (code: number) => void): void {
  program
    .command('validate')
    .description('check scenario files without running them; reports every broken file with its line')
    .argument('[paths...]', 'scenario files, folders or globs (default: scenarios/)')
    .option(...CONFIG_OPTION)
    .action(async (givenPaths: string[], givenOpts: { config?: string }, command: Command) => {
      const { paths } = await withProjectDefaults(command, givenPaths, givenOpts);
      let broken = 0;
      const files = await discoverScenarios(paths);
      for (const file of files) {
        try {
          await loadScenario(file);
        } catch (err) {
          broken++;
          process.stderr.write(`${(err as Error).message}\n`);
        }
      }
      process.stdout.write(`${files.length - broken} of ${files.length} scenario files valid\n`);
      exit(broken === 0 ? EXIT.passed : EXIT.usage);
    });
}
