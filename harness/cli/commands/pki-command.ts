import type { Command } from 'commander';
import { parseEui } from '../../../simulator/domain/index.js';
import { exportPki, generateTestPki } from '../../../simulator/pki/index.js';
import { pkiOrganisations } from '../../stack/parties.js';

export function registerPkiCommand(program: Command): void {
  program
    .command('pki')
    .description(
      'export the deterministic test PKI (root and issuing CA, organisation and device certificates, keys) as PEM',
    )
    .requiredOption('--out <dir>', 'folder to write the PEM files and index.json into')
    .option('--seed <seed>', 'seed the keys are derived from', 'trialsim')
    .option('--device <eui...>', 'device EUIs to issue device certificates for', [])
    .option('--not-before <date>', 'certificate validity start (ISO 8601)', '2026-01-01T00:00:00Z')
    .action(async (opts: { out: string; seed: string; device: string[]; notBefore: string }) => {
      const notBefore = Date.parse(opts.notBefore);
      if (Number.isNaN(notBefore)) throw new Error(`--not-before "${opts.notBefore}" is not a date`);
      const pki = await generateTestPki({
        seed: opts.seed,
        notBefore,
        organisations: pkiOrganisations(),
        devices: opts.device.map((d) => parseEui(d)),
      });
      const files = await exportPki(pki, opts.out);
      process.stdout.write(
        `wrote ${files.length} files to ${opts.out} (check one with: openssl x509 -text -noout -in ${opts.out}/root-ca.pem)\n`,
      );
    });
}
