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
} as const;

export type ResponseCode = keyof typeof RESPONSE_CODE_MEANINGS;
export const RESPONSE_CODES = Object.keys(RESPONSE_CODE_MEANINGS) as ResponseCode[];

export function isFinalResponseCode(code: ResponseCode): boolean {
  return code !== 'I99';
}

export function isSuccessCode(code: ResponseCode): boolean {
  return code === 'I0' || code === 'I99';
}
