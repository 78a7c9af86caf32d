import type { Command } from 'commander';
import { renderBundleReport } from '../../evidence/report/render-bundle-report.js';

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description(
      "re-render report.html from an evidence folder's results.json, trace.jsonl and manifest.json",
    )
    .argument('<dir>', 'evidence folder written by trialsim run')
    .option(
      '--out <file>',
      'where to write the page (default: report.html in the current folder; writing into the bundle would break its signature)',
      'report.html',
    )
    .action(async (dir: string, opts: { out: string }) => {
      await renderBundleReport(dir, opts.out);
      process.stdout.write(`report: ${opts.out}\n`);
    });
}
