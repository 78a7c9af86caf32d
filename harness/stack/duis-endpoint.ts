import { join } from 'node:path';
import {
  DuisSchema,
  DuisServer,
  type DuisTrust,
  organisationCertificateHashes,
  trialsimDuisTrust,
  zaz1DuisTrust,
} from '../../simulator/adapters/index.js';
import { parseEui } from '../../simulator/domain/index.js';
import { generateDuisTlsCredentials } from '../../simulator/pki/index.js';
import { FIXTURES_DIR } from '../package-root.js';
import { partyByName } from './parties.js';
import type { SimStack } from './sim-stack.js';

export interface DuisEndpointOptions {
  readonly port: number;
  readonly host: string;
  /** `trialsim`: XmlSign keys from the seed. `zaz1`: DCC Boxed's public test keys. */
  readonly pki: 'trialsim' | 'zaz1';
  /** Receive-response URLs, by party name or EUI. */
  readonly callbacks: readonly { readonly party: string; readonly url: string }[];
  /** HTTPS with the seed's test TLS CA (`up --duis-tls`) rather than plain HTTP. */
  readonly tls?: boolean;
  /** CA certificates (PEM) the Users' https:// receive-response URLs chain to (`--duis-callback-ca`). */
  readonly callbackCa?: string;
}

/** The running endpoint, and the CA certificate (PEM) its clients trust when it speaks HTTPS. */
export interface DuisEndpoint {
  readonly server: DuisServer;
  readonly tlsCaPem?: string;
}

/** Starts the DUIS endpoint in front of a running stack's DCC (`trialsim up --duis PORT`). */
export async function startDuisEndpoint(
  stack: SimStack,
  options: DuisEndpointOptions,
): Promise<DuisEndpoint> {
  const schema = await DuisSchema.load(join(FIXTURES_DIR, 'duis', 'xsd'));
  const trust: DuisTrust =
    options.pki === 'zaz1'
      ? await zaz1DuisTrust(join(FIXTURES_DIR, 'duis', 'zaz1'))
      : trialsimDuisTrust(stack.pki);
  // The same seed gives the same CA, so a client that trusted it once trusts every later `up`.
  const tls = options.tls ? await generateDuisTlsCredentials(stack.pki.seed, [options.host]) : undefined;
  const server = await DuisServer.start({
    dcc: stack.dcc,
    dccEui: stack.dcc.view.config.dccEui,
    clock: stack.clock,
    trace: stack.trace,
    schema,
    trust,
    certificateHashes: organisationCertificateHashes(stack.pki),
    host: options.host,
    port: options.port,
    ...(tls === undefined ? {} : { tls: { key: tls.keyPem, cert: tls.certPem } }),
    ...(options.callbackCa === undefined ? {} : { callbackCa: options.callbackCa }),
  });
  for (const { party, url } of options.callbacks) {
    const eui = /^[0-9A-Fa-f]{2}([-:]?[0-9A-Fa-f]{2}){7}$/.test(party)
      ? parseEui(party)
      : partyByName(party).eui;
    server.registerCallback(eui, url);
  }
  return { server, ...(tls === undefined ? {} : { tlsCaPem: tls.caPem }) };
}
