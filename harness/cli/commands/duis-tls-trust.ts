import { readFile } from 'node:fs/promises';
import { TrialsimError } from '../../../simulator/errors.js';
import type { UpConnection } from '../../live/up-connection.js';

/**
 * The CA certificate(s) `duis send` trusts for an https:// endpoint: `--ca FILE` if given, else
 * the test TLS CA `up --duis-tls` exported and named in up.json; undefined for plain HTTP (and
 * for an https:// URL up.json names no CA for: Node's public roots then).
 */
export async function endpointCa(
  duis: NonNullable<UpConnection['duis']>,
  caOption: string | undefined,
): Promise<{ readonly file: string; readonly pem: string } | undefined> {
  const file = caOption ?? (duis.url.startsWith('https:') ? duis.tlsCaFile : undefined);
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const whose = caOption === undefined ? "the stack's TLS CA named in up.json" : 'the --ca file';
    throw new TrialsimError('USAGE', `cannot read ${whose}, ${file}: ${(err as Error).message}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----'))
    throw new TrialsimError('USAGE', `${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return { file, pem: text };
}

/** OpenSSL's and Node's codes for a peer certificate the client does not trust or that names another host. */
const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * A failure to reach the endpoint, said as what to do about it: an untrusted TLS certificate
 * names the CA to trust, rather than Node's bare "self-signed certificate in certificate chain".
 */
export function unreachable(url: string, err: unknown, caFile: string | undefined): TrialsimError {
  const code = (err as NodeJS.ErrnoException).code;
  const message = (err as Error).message;
  if (code !== undefined && UNTRUSTED.has(code)) {
    const trusted =
      caFile === undefined ? "Node's public roots (up.json names no CA)" : `the CA in ${caFile}`;
    return new TrialsimError(
      'DUIS_UNREACHABLE',
      `the DUIS endpoint's TLS certificate at ${url} is not trusted: ${message} (${code}), checked against ${trusted}; trust the stack's test TLS CA: --ca <stack dir>/pki/duis-tls-ca.pem (up.json duis.tlsCaFile), written by \`trialsim up --duis-tls\` with the same --seed`,
    );
  }
  return new TrialsimError(
    'DUIS_UNREACHABLE',
    `cannot reach the DUIS endpoint at ${url}: ${message} (is \`trialsim up --duis\` still running?)`,
  );
}
