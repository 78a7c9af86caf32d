import type { Command } from 'commander';
import { loadSigningKey, seedSigningKey } from '../../evidence/signing-key.js';
import { mergeShardBundles } from '../../merge/merge-bundles.js';
import { exitCodeForVerdict } from '../exit-codes.js';

export function registerMergeCommand(program: Command, exit: (code: number) => void): void {
  program
    .command('merge')
    .description(
      'combine the evidence folders of `run --shard i/n` (one per CI runner) into one signed bundle with one report',
    )
    .argument('<dirs...>', 'the shard evidence folders (every shard 1..n once, any order)')
    .option('--out <dir>', 'the merged evidence folder', 'evidence')
    .option(
      '--signing-key <pem>',
      "manufacturer's evidence key (P-256 PEM) that signs the merged manifest (default: the test PKI's manufacturer key for the shards' seed)",
    )
    .action(async (dirs: string[], opts: { out: string; signingKey?: string }) => {
      const results = await mergeShardBundles({
        dirs,
        out: opts.out,
        signingKey: (seed) =>
          opts.signingKey === undefined ? seedSigningKey(seed) : loadSigningKey(opts.signingKey),
      });
      const s = results.summary;
      process.stdout.write(
        `merged ${dirs.length} shards: ${s.passed} passed, ${s.failed} failed, ${s.error} errors, ${s.skipped} skipped\n`,
      );
      process.stdout.write(`evidence: ${opts.out}/ (report.html; check with: trialsim verify ${opts.out})\n`);
      exit(exitCodeForVerdict(results.verdict));
    });
}
