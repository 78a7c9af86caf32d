import { type Eui, parseEui, type RemotePartyRole, type UserRole } from '../../simulator/domain/index.js';

/**
 * The parties of every run. User EUIs are those of the public DCC test PKI (DCC.md §1), so a
 * reader who knows DCC Boxed recognises them; the DCC's own EUIs are trialsim's choice.
 */
export interface PartyDefinition {
  readonly name: string;
  readonly eui: Eui;
  /** Role in SMKI terms (which trust anchor cell holds it). */
  readonly remoteRole: RemotePartyRole;
  /** DCC User role, for parties that send service requests. */
  readonly userRole?: UserRole;
}

export const DCC_EUI = parseEui('00-DB-12-34-56-78-90-A0');

export const DEFAULT_PARTIES: readonly PartyDefinition[] = [
  { name: 'supplier-a', eui: parseEui('90-B3-D5-1F-30-01-00-00'), remoteRole: 'supplier', userRole: 'IS' },
  { name: 'supplier-b', eui: parseEui('90-B3-D5-1F-30-03-00-00'), remoteRole: 'supplier', userRole: 'IS' },
  { name: 'supplier-c', eui: parseEui('90-B3-D5-1F-30-04-00-00'), remoteRole: 'supplier', userRole: 'IS' },
  {
    name: 'network-operator',
    eui: parseEui('90-B3-D5-1F-30-02-00-00'),
    remoteRole: 'networkOperator',
    userRole: 'ED',
  },
  { name: 'other-user', eui: parseEui('90-B3-D5-1F-30-05-00-00'), remoteRole: 'other', userRole: 'OU' },
  { name: 'acb', eui: parseEui('90-B3-D5-1F-30-00-00-02'), remoteRole: 'accessControlBroker' },
  { name: 'cos-party', eui: parseEui('90-B3-D5-1F-30-00-00-05'), remoteRole: 'transitionalCoS' },
  { name: 'wan-provider', eui: parseEui('90-B3-D5-1F-30-00-00-06'), remoteRole: 'wanProvider' },
  { name: 'recovery', eui: parseEui('90-B3-D5-1F-30-00-00-01'), remoteRole: 'recovery' },
  { name: 'manufacturer', eui: parseEui('90-B3-D5-1F-30-0A-00-00'), remoteRole: 'other' },
];

export function partyByName(name: string): PartyDefinition {
  const party = DEFAULT_PARTIES.find((p) => p.name === name);
  if (party === undefined) {
    throw new RangeError(`unknown party "${name}" (known: ${DEFAULT_PARTIES.map((p) => p.name).join(', ')})`);
  }
  return party;
}

export const USER_PARTIES = DEFAULT_PARTIES.filter((p) => p.userRole !== undefined);

/**
 * The parties as the test PKI issues them: every DCC User also gets an XmlSign certificate for
 * its DUIS requests, and the ACB — whose EUI, 90-B3-D5-1F-30-00-00-02, is the one DCC Boxed's DSP
 * XmlSign certificate names — the DSP XmlSign certificate the DCC signs DUIS responses with.
 */
export function pkiOrganisations() {
  return DEFAULT_PARTIES.map(({ name, eui, remoteRole, userRole }) => ({
    name,
    eui,
    role: remoteRole,
    ...(userRole !== undefined
      ? { xmlSign: 'user' as const }
      : remoteRole === 'accessControlBroker'
        ? { xmlSign: 'dsp' as const }
        : {}),
  }));
}
