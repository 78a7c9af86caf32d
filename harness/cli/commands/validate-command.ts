import type { Command } from 'commander';
import { duplicateScenarioIds } from '../../scenario/scenario-ids.js';
import { checkScenarioFile, type LoadedScenario } from '../../scenario/scenario-loader.js';
import { discoverScenarios } from '../../suite/discover.js';
import { EXIT } from '../exit-codes.js';
import { CONFIG_OPTION, withProjectDefaults } from '../project-defaults.js';

export function registerValidateCommand(program: Command, exit: (code: number) => void): void {
  program
    .command('validate')
    .description(
      'check scenario files as strictly as run does, without running them; every error as file:line:col',
    )
    .argument('[paths...]', 'scenario files, folders or globs (default: scenarios/)')
    .option(...CONFIG_OPTION)
    .action(async (givenPaths: string[], givenOpts: { config?: string }, command: Command) => {
      const { paths } = await withProjectDefaults(command, givenPaths, givenOpts);
      const files = await discoverScenarios(paths);
      const broken = new Set<string>();
      const loaded: LoadedScenario[] = [];
      const fileOf = new Map<string, string>();
      for (const file of files) {
        const checked = await checkScenarioFile(file);
        for (const problem of checked.problems) process.stderr.write(`${problem.message}\n`);
        if (checked.problems.length > 0) broken.add(file);
        if (checked.loaded !== undefined) {
          loaded.push(checked.loaded);
          fileOf.set(checked.loaded.file, file);
        }
      }
      for (const problem of duplicateScenarioIds(loaded)) {
        process.stderr.write(`${problem.message}\n`);
        broken.add(fileOf.get(problem.file) ?? problem.file);
      }
      process.stdout.write(`${files.length - broken.size} of ${files.length} scenario files valid\n`);
      exit(broken.size === 0 ? EXIT.passed : EXIT.usage);
    });
}
