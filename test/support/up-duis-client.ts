import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UpConnection } from '../../harness/live/up-connection.js';
import { FIXTURES_DIR } from '../../harness/package-root.js';
import { DuisClient } from '../../simulator/adapters/duis-http/duis-client.js';
import { pemSigner } from '../../simulator/adapters/duis-http/duis-trust.js';
import { DuisSchema } from '../../simulator/adapters/duis-http/xsd-validator.js';

/**
 * The DUIS client a User's system builds from what `trialsim up` wrote into up.json: the party's
 * XmlSign key and certificate (unless `signed: false`), the DSP XmlSign certificate answers must
 * be signed with, the DUIS XSD, and for HTTPS the CA to trust.
 */
export async function upDuisClient(
  duis: NonNullable<UpConnection['duis']>,
  options: { readonly party?: string; readonly signed?: boolean; readonly ca?: string } = {},
): Promise<DuisClient> {
  const keys = join(duis.userKeyDir, `${options.party ?? 'supplier-a'}-xml-sign`);
  return new DuisClient({
    url: duis.url,
    ...(options.signed === false ? {} : { signer: await pemSigner(`${keys}.key.pem`, `${keys}.pem`) }),
    dspCertificate: new X509Certificate(await readFile(duis.dspCertificateFile)),
    schema: await DuisSchema.load(join(FIXTURES_DIR, 'duis', 'xsd')),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  });
}

/** A device of the running stack, by its scenario id, from up.json. */
export function upDevice(connection: UpConnection, id: string): UpConnection['devices'][number] {
  const d = connection.devices.find((x) => x.id === id);
  if (d === undefined) throw new Error(`no ${id} in up.json`);
  return d;
}
