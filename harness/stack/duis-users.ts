import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import {
  type ActivityTracker,
  DuisClient,
  DuisSchema,
  DuisServer,
  DuisUserLink,
  organisationCertificateHashes,
  trialsimDuisTrust,
} from '../../simulator/adapters/index.js';
import type { DccNode } from '../../simulator/nodes/index.js';
import { DccUserAgent } from '../../simulator/parties/index.js';
import type { TestPki } from '../../simulator/pki/index.js';
import type { VirtualClock } from '../../simulator/time/index.js';
import type { MessageTrace } from '../../simulator/trace/index.js';
import { FIXTURES_DIR } from '../package-root.js';
import { DCC_EUI, type PartyDefinition } from './parties.js';

/** The DUIS endpoint of a run whose Users (some or all) speak DUIS, and how to make them. */
export interface DuisUsers {
  readonly server: DuisServer;
  /** A DCC User on DUIS over HTTP, its results on its own receive-response URL. */
  agent(party: PartyDefinition): Promise<DccUserAgent>;
}

/**
 * Starts the DUIS endpoint in front of the run's DCC on loopback, with the seed's XmlSign keys.
 * The activity tracker counts every HTTP request and callback in flight, so settle() waits for
 * them as it waits for MQTT messages.
 */
export async function startDuisUsers(parts: {
  readonly dcc: DccNode;
  readonly pki: TestPki;
  readonly clock: VirtualClock;
  readonly trace: MessageTrace;
  readonly tracker: ActivityTracker;
}): Promise<DuisUsers> {
  const { dcc, pki, clock, trace, tracker } = parts;
  const schema = await DuisSchema.load(join(FIXTURES_DIR, 'duis', 'xsd'));
  const trust = trialsimDuisTrust(pki);
  const server = await DuisServer.start({
    dcc,
    dccEui: DCC_EUI,
    clock,
    trace,
    schema,
    trust,
    certificateHashes: organisationCertificateHashes(pki),
    inFlight: tracker,
  });
  return {
    server,
    async agent(party) {
      const creds = pki.organisation(party.name);
      if (creds.xmlSign === undefined) throw new Error(`${party.name} has no XmlSign certificate`);
      const client = new DuisClient({
        url: server.url,
        signer: {
          privateKey: creds.xmlSign.keys.privateKey,
          certificate: new X509Certificate(creds.xmlSign.der),
        },
        dspCertificate: trust.dccSigner.certificate,
      });
      const link = await DuisUserLink.open(
        {
          user: party.eui,
          client,
          inFlight: tracker,
          clock,
          trace,
          certificates: { ds: creds.ds.der, ka: creds.ka.der, path: pki.issuingCa.der },
        },
        // The User's receiver listens on a port the OS picks, which differs run to run.
        (url) => server.registerCallback(party.eui, url, { ephemeralPort: true }),
      );
      return DccUserAgent.over(
        {
          name: party.name,
          eui: party.eui,
          role: party.userRole as NonNullable<typeof party.userRole>,
          dsPrivate: creds.ds.keys.privateKey,
          dccEui: DCC_EUI,
          // 4.1.1's registers: the User's KA key, the device's from the SMKI repository (the DCC's).
          keyAgreement: {
            privateKey: creds.ka.keys.privateKey,
            devicePublicKey: (device) => dcc.view.smki.get(device)?.kaPublic,
          },
        },
        link,
      );
    },
  };
}
