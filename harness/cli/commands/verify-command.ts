import type { Command } from 'commander';
import { loadTrustFile, loadTrustStore, type TrustedKey } from '../../evidence/trust-store.js';
import { type VerifyOutcome, verdictLine, verifyBundle } from '../../evidence/verify-bundle.js';
import { EXIT } from '../exit-codes.js';

export const TRUST_STORE_ENV = 'TRIALSIM_TRUST_STORE';

const VERIFY_EXIT_HELP = `
Exit status:
  0  integrity holds and the signer is a key you trust (with --integrity-only: integrity holds)
  1  integrity fails: a file altered, missing, added, a link or a path outside the folder, or
     parts of different runs; each problem is named
  2  wrong input: bad arguments, an unreadable or non-P-256 --trust file or trust store
  4  integrity holds, but the signer is not a key you trust (e.g. a key derived from the
     bundle's public seed, which anyone can re-derive and re-sign with)`;

interface VerifyOptions {
  readonly trust: string[];
  readonly key?: string;
  readonly trustStore?: string;
  readonly integrityOnly: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** The reviewer's trusted keys: --trust files (and the older --key), then the trust store. */
async function trustedKeys(opts: VerifyOptions): Promise<TrustedKey[]> {
  const keys: TrustedKey[] = [];
  for (const file of [...opts.trust, ...(opts.key === undefined ? [] : [opts.key])]) {
    keys.push(...(await loadTrustFile(file)));
  }
  const store = opts.trustStore ?? process.env[TRUST_STORE_ENV];
  if (store !== undefined && store !== '') keys.push(...(await loadTrustStore(store)));
  return keys;
}

export function exitCodeForVerify(outcome: VerifyOutcome, integrityOnly: boolean): number {
  if (!outcome.integrity.ok) return EXIT.failed;
  if (integrityOnly || outcome.authenticity.status === 'trusted') return EXIT.passed;
  return EXIT.untrusted;
}

export function registerVerifyCommand(program: Command, exit: (code: number) => void): void {
  program
    .command('verify')
    .description(
      'check an evidence folder: integrity (signature, every file listed and hashed, nothing added, no links or outside paths, results/trace/manifest from one run) and authenticity (signed by a key you trust), reported apart',
    )
    .argument('<dir>', 'evidence folder written by trialsim run')
    .option(
      '--trust <pem>',
      "a public key or certificate (PEM, P-256) you trust to sign evidence, e.g. the manufacturer's (repeatable; a file may hold several)",
      collect,
      [],
    )
    .option('--key <pem>', 'same as --trust (kept for older scripts)')
    .option(
      '--trust-store <dir>',
      `a folder of trusted *.pem keys and certificates (default: $${TRUST_STORE_ENV} if set)`,
    )
    .option('--integrity-only', 'exit 0 when integrity holds, whoever signed (CI)', false)
    .addHelpText('after', VERIFY_EXIT_HELP)
    .action(async (dir: string, opts: VerifyOptions) => {
      const trusted = await trustedKeys(opts);
      const outcome = await verifyBundle(dir, { trusted });
      const lines = [`${verdictLine(outcome)}: ${dir}`];
      lines.push(`  integrity: ${outcome.integrity.ok ? 'holds' : 'FAILS'}`);
      for (const p of outcome.integrity.problems) lines.push(`    - ${p}`);
      const a = outcome.authenticity;
      lines.push(
        a.status === 'trusted'
          ? `  authenticity: signed by ${a.signer.keyId}, trusted through ${a.trustedBy}`
          : a.status === 'untrusted'
            ? `  authenticity: NOT ESTABLISHED — signed by key ${a.signer.keyId}${a.signer.publicSeed === undefined ? ', which is not among the keys you trust (--trust, --trust-store)' : `, derived from the public seed "${a.signer.publicSeed}": anyone who reads the bundle can re-sign it with this key`}`
            : `  authenticity: NOT ESTABLISHED — ${a.reason}`,
      );
      for (const n of outcome.notes) lines.push(`  (${n})`);
      process.stdout.write(`${lines.join('\n')}\n`);
      exit(exitCodeForVerify(outcome, opts.integrityOnly));
    });
}
