import { cborContentCodec } from '../../simulator/adapters/index.js';
import {
  addCplEntry,
  DccCore,
  type DccState,
  type Eui,
  type KeyPair,
  newDccState,
  register,
  type SharedSecretCache,
} from '../../simulator/domain/index.js';
import { deriveDeviceDsKeys, deriveDeviceKaKeys, type TestPki } from '../../simulator/pki/index.js';
import { DCC_EUI, partyByName, USER_PARTIES } from './parties.js';
import type { StackOptions } from './stack-options.js';

/** The DCC as a run starts, and the devices' key-agreement keys its SMKI repository holds. */
export interface InitialDcc {
  readonly state: DccState;
  readonly core: DccCore;
  readonly kaKeys: ReadonlyMap<Eui, KeyPair>;
}

/**
 * The DCC's state at the start of a run: the SMKI repository (organisations and devices), the
 * DCC Users, the registration data and the CPL.
 */
export function initialDcc(
  options: Pick<
    StackOptions,
    'seed' | 'start' | 'devices' | 'cpl' | 'responseTimeoutMs' | 'issueDeviceCertificates'
  >,
  pki: TestPki,
  secrets: SharedSecretCache,
): InitialDcc {
  const deviceKa = (eui: Eui) =>
    options.issueDeviceCertificates === false
      ? deriveDeviceKaKeys(options.seed, eui)
      : pki.device(eui).ka.keys;
  const acb = pki.organisation('acb');
  const state = newDccState({
    dccEui: DCC_EUI,
    acbEui: acb.eui,
    acbKaPrivate: acb.ka.keys.privateKey,
    responseTimeoutMs: options.responseTimeoutMs ?? 60_000,
    cosEui: pki.organisation('cos-party').eui,
    cosDsPrivate: pki.organisation('cos-party').ds.keys.privateKey,
  });
  // The SMKI repository's organisation certificates: 6.23 checks the gaining supplier's (DCC.md §9).
  for (const org of pki.organisations) {
    state.smkiOrganisations.set(org.eui, {
      eui: org.eui,
      role: org.role,
      ds: { serialNumber: org.ds.serialNumber, publicKey: org.ds.keys.publicKey, certificate: org.ds.der },
      ka: { serialNumber: org.ka.serialNumber, publicKey: org.ka.keys.publicKey, certificate: org.ka.der },
      certificationPath: [pki.issuingCa.der],
    });
  }
  for (const party of USER_PARTIES) {
    state.users.set(party.eui, {
      eui: party.eui,
      name: party.name,
      role: party.userRole as NonNullable<typeof party.userRole>,
      status: 'active',
      lastCounter: 0,
    });
  }
  const kaKeys = new Map(options.devices.map((d) => [d.eui, deviceKa(d.eui)]));
  for (const [eui, keys] of kaKeys) {
    state.smki.set(eui, {
      kaPublic: keys.publicKey,
      dsPublic: deriveDeviceDsKeys(options.seed, eui).publicKey,
    });
  }
  // Each metering point is registered before its meter is installed: the DCC learns a new
  // device's network operator from the registration data, never from 12.2 (DUIS.md §4.1). A
  // preinstalled device's SMI record names it (stack-devices.ts).
  for (const d of options.devices) {
    if (d.preinstalled) continue;
    register(state.registration, d.eui, 'networkOperator', {
      party: partyByName(d.networkOperator).eui,
      from: options.start,
      cause: 'registration',
    });
  }
  const core = new DccCore(state, { codec: cborContentCodec, secrets });
  for (const entry of options.cpl) addCplEntry(state, { ...entry }, options.start);
  return { state, core, kaKeys };
}
