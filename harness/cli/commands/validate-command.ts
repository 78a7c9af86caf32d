import type { Command } from 'commander';
import { loadScenario } from '../../scenario/scenario-loader.js';
import { discoverScenarios } from '../../suite/discover.js';
import { EXIT } from '../exit-codes.js';

export function registerValidateCommand(program: Command, exit: (code: number) => void): void {
  program
    .command('validate')
    .description('check scenario files without running them; reports every broken file with its line')
    .argument('[paths...]', 'scenario files, folders or globs (default: scenarios/)')
    .action(async (paths: string[]) => {
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
