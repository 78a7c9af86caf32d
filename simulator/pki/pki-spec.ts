import { type Eui, isEui } from '../domain/eui.js';
import { REMOTE_PARTY_ROLE_CODES, type RemotePartyRole } from '../domain/smki/remote-party-roles.js';

/** What a test PKI holds: everything in it is derived from these values and nothing else. */
export interface PkiSpec {
  readonly seed: string;
  /** ms since the epoch, from the simulation clock (never the wall clock); whole seconds are used. */
  readonly notBefore: number;
  /** Calendar years from notBefore to notAfter; default 25. */
  readonly validityYears?: number;
  readonly organisations: readonly {
    name: string;
    eui: Eui;
    role: RemotePartyRole;
    /**
     * An XmlSign certificate for signing DUIS XML as well (DUIS.md §7): `user` (OU=87, a DCC
     * User's) or `dsp` (OU=89, the DCC's DSP XmlSign certificate).
     */
    xmlSign?: 'user' | 'dsp';
  }[];
  readonly devices: readonly Eui[];
}

export const DEFAULT_VALIDITY_YEARS = 25;

/**
 * Throws an Error saying what is wrong with the spec. Names and EUIs must be unique because
 * credentials are looked up by them; EUIs are checked at run time because a cast can forge the brand.
 */
export function validatePkiSpec(spec: PkiSpec): void {
  if (typeof spec.seed !== 'string' || spec.seed.length === 0) {
    throw new Error('PKI spec: seed must be a non-empty string');
  }
  if (!Number.isFinite(spec.notBefore)) {
    throw new Error(`PKI spec: notBefore must be ms since the epoch, got ${spec.notBefore}`);
  }
  const years = spec.validityYears ?? DEFAULT_VALIDITY_YEARS;
  if (!Number.isInteger(years) || years < 1) {
    throw new Error(`PKI spec: validityYears must be a positive integer, got ${years}`);
  }
  const names = new Set<string>();
  const organisationEuis = new Set<string>();
  for (const { name, eui, role } of spec.organisations) {
    if (typeof name !== 'string' || name.length === 0)
      throw new Error('PKI spec: an organisation has an empty name');
    if (names.has(name)) throw new Error(`PKI spec: organisation "${name}" is listed twice`);
    if (!isEui(eui)) throw new Error(`PKI spec: organisation "${name}" has malformed EUI "${eui}"`);
    if (organisationEuis.has(eui)) throw new Error(`PKI spec: EUI ${eui} is given to two organisations`);
    if (!Object.hasOwn(REMOTE_PARTY_ROLE_CODES, role)) {
      throw new Error(`PKI spec: organisation "${name}" has unknown role "${role}"`);
    }
    names.add(name);
    organisationEuis.add(eui);
  }
  const deviceEuis = new Set<string>();
  for (const eui of spec.devices) {
    if (!isEui(eui)) throw new Error(`PKI spec: malformed device EUI "${eui}"`);
    if (deviceEuis.has(eui)) throw new Error(`PKI spec: device ${eui} is listed twice`);
    deviceEuis.add(eui);
  }
}
