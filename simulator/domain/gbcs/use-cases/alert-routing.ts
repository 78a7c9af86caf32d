/**
 * The one table of device alert codes: the name, which GBCS message carries the code, whether it
 * is critical (device-signed) or MACed, and who receives it. GBCS.md §5.5 gives examples; the full
 * GBCS tables were not read, so this is the policy GBCS.md §11 suggests: FDRA for firmware
 * verification, 0x00CA/0x00CB for future-dated outcomes (chosen by the use case that ran, not the
 * code; to the command's originator), CCS08 from the CHF to the ACB, the security alerts below as
 * Generic Critical Alerts, everything else as a Generic Non-Critical Alert to the Supplier.
 * The DCC's behaviour on an alert lives with the services (services/device-alerts-catalogue.ts).
 */
export type AlertRecipient = 'supplier' | 'acb' | 'commandOriginator';

export interface AlertRoute {
  readonly messageCode: number;
  readonly critical: boolean;
  readonly recipient: AlertRecipient;
}

const FDRA: AlertRoute = { messageCode: 0x00ce, critical: true, recipient: 'supplier' };
const CCS08: AlertRoute = { messageCode: 0x0128, critical: true, recipient: 'acb' };
const GCA: AlertRoute = { messageCode: 0x1000, critical: true, recipient: 'supplier' };
const GNCA: AlertRoute = { messageCode: 0x1001, critical: false, recipient: 'supplier' };

interface AlertCodeRow {
  readonly name: string;
  /** Undefined: a future-dated outcome, routed by the use case that ran (alertRoute). */
  readonly route: AlertRoute | undefined;
}

const ALERT_CODES = new Map<number, AlertCodeRow>([
  // Security alerts a device raises when it refuses a command: GCA to the Supplier, as RTDS's
  // 0x8F30 example (UNCONFIRMED for the other three codes).
  [0x8f1e, { name: 'Integrity check of content or format of command failed', route: GCA }],
  [0x8f3d, { name: 'Trusted source authentication failure', route: GCA }],
  [0x8f30, { name: 'Source does not have authority for command', route: GCA }],
  [0x8f3e, { name: 'Unauthorised communication access attempted', route: GCA }],
  // 11.1: the comms hub reports the transfer (CCS08, to the ACB); an ESME its verification (FDRA).
  [0x8f8a, { name: 'Firmware transfer success', route: CCS08 }],
  [0x8f89, { name: 'Firmware transfer failure', route: CCS08 }],
  [0x8f72, { name: 'Firmware verification successful', route: FDRA }],
  [0x8f1c, { name: 'Firmware verification failed', route: FDRA }],
  [0x8f66, { name: 'Future-dated command actioned', route: undefined }],
  [0x8f67, { name: 'Future-dated command not actioned', route: undefined }],
  [0x8f43, { name: 'Change in executing firmware version', route: GNCA }],
  [0x8f70, { name: 'Security credentials updated', route: GNCA }],
]);

/**
 * The route of a device alert code. 0x8F66/0x8F67 (future-dated outcome) go in 0x00CA after CS06
 * and in 0x00CB after CS02b, to the command's originator: pass the use case that ran.
 */
export function alertRoute(alertCode: number, futureDatedUseCase?: 'CS06' | 'CS02b'): AlertRoute {
  const row = ALERT_CODES.get(alertCode);
  if (row !== undefined && row.route === undefined) {
    return {
      messageCode: futureDatedUseCase === 'CS02b' ? 0x00cb : 0x00ca,
      critical: true,
      recipient: 'commandOriginator',
    };
  }
  return row?.route ?? GNCA;
}

/** The alert code's name, or `device alert` for a code the table does not list. */
export function alertName(alertCode: number): string {
  return ALERT_CODES.get(alertCode)?.name ?? 'device alert';
}

/** Every alert code the table lists (for tests and documents). */
export function listedAlertCodes(): readonly number[] {
  return [...ALERT_CODES.keys()];
}
