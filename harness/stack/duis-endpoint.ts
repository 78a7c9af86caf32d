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
}

/** Starts the DUIS endpoint in front of a running stack's DCC (`trialsim up --duis PORT`). */
export async function startDuisEndpoint(stack: SimStack, options: DuisEndpointOptions): Promise<DuisServer> {
  const schema = await DuisSchema.load(join(FIXTURES_DIR, 'duis', 'xsd'));
  const trust: DuisTrust =
    options.pki === 'zaz1'
      ? await zaz1DuisTrust(join(FIXTURES_DIR, 'duis', 'zaz1'))
      : trialsimDuisTrust(stack.pki);
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
  });
  for (const { party, url } of options.callbacks) {
    const eui = /^[0-9A-Fa-f]{2}([-:]?[0-9A-Fa-f]{2}){7}$/.test(party)
      ? parseEui(party)
      : partyByName(party).eui;
    server.registerCallback(eui, url);
  }
  return server;
}
