import type { Command } from 'commander';
import { loadScenario } from '../../scenario/scenario-loader.js';
import { discoverScenarios } from '../../suite/discover.js';
import { CONFIG_OPTION, withProjectDefaults } from '../project-defaults.js';

export function registerListCommand(program: Command): void {
  program
    .command('list')
    .description('list scenarios with their ids, titles and tags')
    .argument('[paths...]', 'scenario files, folders or globs (default: scenarios/)')
    .option('--json', 'print as JSON', false)
    .option(...CONFIG_OPTION)
    .action(async (givenPaths: string[], givenOpts: { json: boolean; config?: string }, command: Command) => {
      const { paths, opts } = await withProjectDefaults(command, givenPaths, givenOpts);
      const rows = [];
      for (const file of await discoverScenarios(paths)) {
        const { definition } = await loadScenario(file);
        rows.push({
          id: definition.scenario,
          title: definition.title,
          tags: definition.tags,
          file,
          steps: definition.steps.length,
        });
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const width = Math.max(...rows.map((r) => r.id.length), 2);
      for (const r of rows)
        process.stdout.write(
          `${r.id.padEnd(width)}  ${r.title}${r.tags.length ? `  [${r.tags.join(', ')}]` : ''}\n`,
        );
    });
}
