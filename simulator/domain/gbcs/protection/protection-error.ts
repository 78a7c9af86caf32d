/**
 * Faults in GBCS message protection: inputs no correct caller would pass (a key of the wrong
 * size, a point off the curve, a counter outside uint64). Each carries a stable code so the
 * harness can map it to an exit status and evidence can cite it (STYLE.md: types and errors).
 * A MAC that does not verify is not a fault: `verifyMac`/`checkMac` return false for it.
 */
export type GbcsProtectionErrorCode =
  | 'GBCS_INVALID_PEER_PUBLIC_KEY'
  | 'GBCS_INVALID_PRIVATE_KEY'
  | 'GBCS_INVALID_SHARED_SECRET'
  | 'GBCS_INVALID_MAC_KEY'
  | 'GBCS_INVALID_CONTEXT';

export class GbcsProtectionError extends Error {
  override readonly name = 'GbcsProtectionError';

  constructor(
    readonly code: GbcsProtectionErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
