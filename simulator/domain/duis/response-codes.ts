/**
 * DUIS response codes trialsim uses, with their sourced meanings (DCC.md §2). Codes not listed
 * there are not invented: every refusal maps to one of these and carries a `rule` and `reason`.
 */
export const RESPONSE_CODE_MEANINGS = {
  I0: 'success',
  I99: 'accepted: passed access control, response follows',
  E1: 'invalid user or role',
  E2: 'role not permitted for this SRV',
  E3: 'invalid user status',
  E4: 'role not authorised for this device now',
  E5: 'device SMI status incompatible with the SRV',
  E11: 'SRV not valid for this device type',
  E12: 'invalid request / command variant combination',
  E19: 'device does not exist',
  E20: 'cannot communicate with device',
  E21: 'no response from device',
  E30: 'future-dated command timed out',
  // DUIS.md §3.2 lists these for 11.1 without their meanings; trialsim uses them, by policy
  // (`firmware.screening.11.1`, simulator/domain/policy), for firmware with no CPL entry.
  E110101: '11.1 refused: firmware has no CPL entry for a listed device (trialsim reading)',
  W110101: '11.1 accepted with a warning: firmware has no CPL entry for some devices (trialsim reading)',
} as const;

export type ResponseCode = keyof typeof RESPONSE_CODE_MEANINGS;
export const RESPONSE_CODES = Object.keys(RESPONSE_CODE_MEANINGS) as ResponseCode[];

export function isFinalResponseCode(code: ResponseCode): boolean {
  return code !== 'I99';
}

export function isSuccessCode(code: ResponseCode): boolean {
  return code === 'I0' || code === 'I99';
}
