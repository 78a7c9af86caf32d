/**
 * Which GBCS message carries a device alert code, whether it is critical (device-signed) or
 * MACed, and who receives it. GBCS.md §5.5 gives examples; the full GBCS tables were not read, so
 * this is the policy GBCS.md §11 suggests: FDRA for firmware verification, 0x00CA/0x00CB for
 * future-dated outcomes (chosen by the use case that ran, not the code), CCS08 from the CHF to the
 * ACB, the security alerts below as Generic Critical Alerts, everything else as a Generic
 * Non-Critical Alert to the Supplier.
 */
export type AlertRecipient = 'supplier' | 'acb';

export interface AlertRoute {
  readonly messageCode: number;
  readonly critical: boolean;
  readonly recipient: AlertRecipient;
}

const FDRA: AlertRoute = { messageCode: 0x00ce, critical: true, recipient: 'supplier' };
const CCS08: AlertRoute = { messageCode: 0x0128, critical: true, recipient: 'acb' };
const GCA: AlertRoute = { messageCode: 0x1000, critical: true, recipient: 'supplier' };
const GNCA: AlertRoute = { messageCode: 0x1001, critical: false, recipient: 'supplier' };

const ROUTES = new Map<number, AlertRoute>([
  [0x8f72, FDRA], // firmware verification successful
  [0x8f1c, FDRA], // firmware verification failed
  [0x8f8a, CCS08], // firmware transfer to a device succeeded
  [0x8f89, CCS08], // firmware transfer failed
  [0x8f30, GCA], // source does not have authority (the RTDS GCA example)
  [0x8f3d, GCA],
  [0x8f3e, GCA],
  [0x8f1e, GCA],
]);

/**
 * The route of a device alert code. 0x8F66/0x8F67 (future-dated outcome) go in 0x00CA after CS06
 * and in 0x00CB after CS02b: pass the use case that ran.
 */
export function alertRoute(alertCode: number, futureDatedUseCase?: 'CS06' | 'CS02b'): AlertRoute {
  if (alertCode === 0x8f66 || alertCode === 0x8f67) {
    return {
      messageCode: futureDatedUseCase === 'CS02b' ? 0x00cb : 0x00ca,
      critical: true,
      recipient: 'supplier',
    };
  }
  return ROUTES.get(alertCode) ?? GNCA;
}
