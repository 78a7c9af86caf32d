import type { BrokerPrincipal, Topics } from '../../simulator/adapters/index.js';
import type { Eui, SharedSecretCache } from '../../simulator/domain/index.js';
import { DccUserAgent } from '../../simulator/parties/index.js';
import type { TestPki } from '../../simulator/pki/index.js';
import type { Transport } from '../../simulator/ports/index.js';
import type { FaultyLink } from './faulty-links.js';
import { DCC_EUI, type PartyDefinition, USER_PARTIES } from './parties.js';

/**
 * Starts an agent for every DCC User, one after another, each on its own connection. Each opens
 * 4.1.1's encrypted registers with its own KA key and the device's KA public key from the SMKI
 * repository (`deviceKa`: the DCC's, which Users read as they would the real repository).
 */
export async function startUserAgents(
  pki: TestPki,
  topics: Topics,
  connect: (principal: BrokerPrincipal) => Promise<Transport>,
  faulty: FaultyLink,
  deviceKa: {
    readonly publicKey: (device: Eui) => Uint8Array | undefined;
    /** The run's Z memo: a fleet-wide read is one ECDH per device, not per response. */
    readonly secrets?: SharedSecretCache;
  },
  /** Users that speak DUIS over HTTP instead of MQTT (`interface: duis`), and how to start one. */
  duis?: { readonly names: ReadonlySet<string>; agent(party: PartyDefinition): Promise<DccUserAgent> },
): Promise<Map<string, DccUserAgent>> {
  const users = new Map<string, DccUserAgent>();
  for (const party of USER_PARTIES) {
    if (duis?.names.has(party.name)) {
      users.set(party.name, await duis.agent(party));
      continue;
    }
    const creds = pki.organisation(party.name);
    users.set(
      party.name,
      await DccUserAgent.start({
        name: party.name,
        eui: party.eui,
        role: party.userRole as NonNullable<typeof party.userRole>,
        dsPrivate: creds.ds.keys.privateKey,
        dccEui: DCC_EUI,
        transport: faulty(await connect({ role: 'user', eui: party.eui }), party.name),
        topics,
        keyAgreement: {
          privateKey: creds.ka.keys.privateKey,
          devicePublicKey: deviceKa.publicKey,
          ...(deviceKa.secrets === undefined ? {} : { secrets: deviceKa.secrets }),
        },
      }),
    );
  }
  return users;
}
