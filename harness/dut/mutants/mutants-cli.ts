import { isDeviceDefect } from '../../../simulator/domain/index.js';
import { conformanceFiles } from './conformance-run.js';
import { MUTANTS } from './mutant-catalogue.js';
import { type MutantResult, runMutants } from './run-mutants.js';

/**
 * `npm run mutants [-- --bail] [-- --only defect,…]`: the conformance suite against the reference
 * device, then against each mutant of the catalogue; prints which requirement caught each and
 * "N of N mutants killed". Exit 1 if the reference device fails a case or any mutant survives.
 */
const args = process.argv.slice(2);
if (args.includes('--help')) {
  process.stdout.write(
    'usage: npm run mutants [-- --bail] [-- --only defect[,defect…]]\n' +
      '  --bail   stop each mutant at its first failing scenario (faster; names fewer requirements)\n' +
      `  --only   run these mutants only (${MUTANTS.map((m) => m.defect).join(', ')})\n`,
  );
  process.exit(0);
}
const onlyIndex = args.indexOf('--only');
const only = onlyIndex < 0 ? undefined : (args[onlyIndex + 1] ?? '').split(',').filter((d) => d !== '');
for (const name of only ?? []) {
  if (!isDeviceDefect(name)) {
    process.stderr.write(`mutants: "${name}" is not in the catalogue (see --help)\n`);
    process.exit(2);
  }
}

const print = (result: MutantResult) => {
  const verdict = result.killed ? 'KILLED  ' : 'SURVIVED';
  const by = result.killed
    ? `caught by ${result.caughtBy.join(', ') || '(no requirement)'}`
    : `breaks ${result.mutant.rule}`;
  process.stdout.write(`${verdict} ${result.mutant.defect.padEnd(34)} ${by}\n`);
  if (result.firstFailure !== undefined)
    process.stdout.write(`         ${result.firstFailure.slice(0, 200)}\n`);
};

const files = await conformanceFiles();
process.stdout.write(`conformance suite: ${files.length} scenarios tagged dut; reference device first\n`);
const { reference, results } = await runMutants({
  files,
  bail: args.includes('--bail'),
  ...(only === undefined ? {} : { only: only.filter(isDeviceDefect) }),
  onResult: print,
});
const referenceFailures = reference.filter((s) => s.verdict !== 'passed' && s.verdict !== 'skipped');
for (const s of referenceFailures)
  process.stdout.write(`REFERENCE FAILED ${s.id}: ${s.message ?? s.verdict}\n`);
const killed = results.filter((r) => r.killed).length;
process.stdout.write(
  `reference device: ${reference.length - referenceFailures.length} of ${reference.length} scenarios passed\n` +
    `${killed} of ${results.length} mutants killed\n`,
);
process.exit(referenceFailures.length === 0 && killed === results.length ? 0 : 1);
