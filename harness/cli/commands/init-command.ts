import { relative } from 'node:path';
import type { Command } from 'commander';
import { scaffoldProject } from '../../project/project-scaffold.js';

export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description(
      'start a trialsim project in a folder: config, a scenario, device models, a CPL, firmware, an application file, a CI workflow and a README (never overwrites)',
    )
    .argument('[dir]', 'the folder (created if missing)', '.')
    .action(async (dir: string) => {
      const result = await scaffoldProject(dir);
      const rel = relative(process.cwd(), result.dir) || '.';
      const shown = rel.startsWith('..') ? result.dir : rel;
      process.stdout.write(`trialsim project in ${shown}/:\n`);
      for (const path of result.written) process.stdout.write(`  ${path}\n`);
      const cd = shown === '.' ? '' : `cd ${shown} && `;
      process.stdout.write(`next: ${cd}npx trialsim validate && npx trialsim run\n`);
    });
}
