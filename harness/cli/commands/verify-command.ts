import type { Command } from 'commander';
import { loadPublicKey } from '../../evidence/signing-key.js';
import { verifyBundle } from '../../evidence/verify-bundle.js';
import { EXIT } from '../exit-codes.js';

export function registerVerifyCommand(program: Command, exit: (code: number) => void): void {
  program
    .command('verify')
    .description(
      'check an evidence folder: the signature on its manifest, every file hash and the message trace chain; names what was altered, missing or added',
    )
    .argument('<dir>', 'evidence folder written by trialsim run')
    .option(
      '--key <pem>',
      "the manufacturer's public key, certificate or private key (PEM) the manifest must be signed with",
    )
    .action(async (dir: string, opts: { key?: string }) => {
      const publicKey = opts.key === undefined ? undefined : await loadPublicKey(opts.key);
      const outcome = await verifyBundle(dir, publicKey === undefined ? {} : { publicKey });
      if (outcome.ok) {
        process.stdout.write(`verified: ${dir}\n${outcome.notes.map((n) => `  ${n}\n`).join('')}`);
        exit(EXIT.passed);
        return;
      }
      process.stdout.write(
        `NOT VERIFIED: ${dir}\n${outcome.problems.map((p) => `  - ${p}\n`).join('')}${outcome.notes.map((n) => `  (${n})\n`).join('')}`,
      );
      exit(EXIT.failed);
    });
}
