import type { Command } from 'commander';
import { TrialsimError } from '../../../simulator/errors.js';
import { renderBundleReport } from '../../evidence/report/render-bundle-report.js';
import { loadTrustFile, loadTrustStore, type TrustedKey } from '../../evidence/trust-store.js';
import { EXIT } from '../exit-codes.js';
import { TRUST_STORE_ENV } from './verify-command.js';

interface ReportOptions {
  readonly out?: string;
  readonly pdf?: string;
  readonly trust: string[];
  readonly trustStore?: string;
  readonly unverified: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

const REPORT_EXIT_HELP = `
Exit status:
  0  written; the bundle verifies (integrity, and a signer you trust)
  1  refused: the bundle's integrity fails (nothing written; --unverified writes a marked page)
  2  wrong input: bad arguments, an unreadable --trust file or trust store
  3  the PDF could not be printed (Chromium missing or failing)
  4  written, marked: the bundle is intact but its signer is not a key you trust`;

export function registerReportCommand(program: Command, exit: (code: number) => void): void {
  program
    .command('report')
    .description(
      'check an evidence folder (as trialsim verify does) and render its report from results.json, trace.jsonl, manifest.json and conformance.json: HTML and/or an A4 PDF; a bundle that does not verify is refused, or marked',
    )
    .argument('<dir>', 'evidence folder written by trialsim run')
    .option(
      '--out <file>',
      'where to write the page (default: report.html in the current folder unless --pdf is given; writing into the bundle would break its signature)',
    )
    .option('--pdf <file>', 'also print the report to an A4 PDF with page numbers (headless Chromium)')
    .option(
      '--trust <pem>',
      'a public key or certificate you trust to sign evidence (repeatable)',
      collect,
      [],
    )
    .option('--trust-store <dir>', `a folder of trusted *.pem (default: $${TRUST_STORE_ENV} if set)`)
    .option('--unverified', 'render a bundle whose integrity fails, under a banner saying so', false)
    .addHelpText('after', REPORT_EXIT_HELP)
    .action(async (dir: string, opts: ReportOptions) => {
      const trusted: TrustedKey[] = [];
      for (const file of opts.trust) trusted.push(...(await loadTrustFile(file)));
      const store = opts.trustStore ?? process.env[TRUST_STORE_ENV];
      if (store !== undefined && store !== '') trusted.push(...(await loadTrustStore(store)));
      const out = opts.out ?? (opts.pdf === undefined ? 'report.html' : undefined);
      const outcome = await renderBundleReport(dir, {
        ...(out === undefined ? {} : { out }),
        ...(opts.pdf === undefined ? {} : { pdf: opts.pdf }),
        trusted,
        unverified: opts.unverified,
      }).catch((err: unknown) => {
        // Refusing an altered bundle is the answer, not a fault: exit 1, like verify.
        if (err instanceof TrialsimError && err.code === 'EVIDENCE_UNVERIFIED') {
          process.stderr.write(`trialsim: ${err.message}\n`);
          return undefined;
        }
        throw err;
      });
      if (outcome === undefined) {
        exit(EXIT.failed);
        return;
      }
      if (out !== undefined) process.stdout.write(`report: ${out}\n`);
      if (opts.pdf !== undefined) process.stdout.write(`pdf: ${opts.pdf} (${outcome.pages} pages, A4)\n`);
      const v = outcome.verification;
      if (!v.integrity.ok) {
        process.stdout.write('marked: the bundle does not verify (integrity fails)\n');
        exit(EXIT.failed);
      } else if (!v.ok) {
        process.stdout.write('marked: the bundle is intact, but its signer is not a key you trust\n');
        exit(EXIT.untrusted);
      } else exit(EXIT.passed);
    });
}
