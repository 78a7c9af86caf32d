import type { RemotePartyRole } from '../smki/remote-party-roles.js';

/**
 * Which remote party roles a device accepts each command from (GBCS access control, simplified
 * to the commands trialsim implements). A known party outside this list gets 0x8F30 "Source
 * does not have Authority for Command".
 */
export const COMMAND_AUTHORITY: Readonly<Record<string, readonly RemotePartyRole[]>> = Object.freeze({
  '8.1.1': ['supplier'],
  '8.11': ['supplier'],
  '8.9': ['supplier'],
  '11.2': ['supplier', 'networkOperator'],
  '11.3': ['supplier'],
  // 11.1 and 8.3 reach the device from the DCC after a non-device SR, MACed by the ACB.
  '11.1': ['supplier'],
  '8.3': ['supplier'],
  '4.1.1': ['supplier', 'networkOperator'],
  '6.13': ['supplier', 'networkOperator'],
  '6.15.1': ['supplier', 'networkOperator'],
  // 6.23 reaches the device as the CoS party's CS02b supplierByTransCoS (DCC.md §9).
  '6.23': ['transitionalCoS'],
});

/** Commands that must carry the remote party's signature rather than a MAC (DCC.md §2, §8). */
export const CRITICAL_COMMANDS: ReadonlySet<string> = new Set(['8.1.1', '11.3', '6.15.1', '6.23']);
