import { p256 } from '@noble/curves/nist.js';
import { z } from 'zod';
import { type Eui, euiFromBytes, isEui } from '../eui.js';
import {
  readCertificatePublicKey,
  readCertificateSubject,
} from '../gbcs/payloads/asn1/certificate-subject.js';
import type { GbcsPayload } from '../messages/gbcs-messages.js';
import { isUncompressedP256Point } from '../smki/key-encoding.js';
import type { RemotePartyRole } from '../smki/remote-party-roles.js';
import type { DeviceDefect } from './device-defects.js';
import type { AlertOut, CommandResult } from './device-output.js';
import { appendLog, type DeviceState } from './device-state.js';
import { replacementCertificateFault } from './replacement-certificate-checks.js';
import { rootCertificateFault } from './root-certificate-checks.js';
import { cellFor, findCell, type TrustAnchorCell } from './trust-anchors.js';

/**
 * CS02b Update Security Credentials (DCC.md §7): replaces trust anchor cells. One handler serves
 * 6.15.1 (a party replacing its own cells, e.g. networkOperatorByNetworkOperator) and 6.23 (the
 * CoS party's `supplierByTransCoS`). The replacement mode says which party may replace which
 * cells; the device checks it against the party whose signature it verified.
 *
 * trialsim's choices (UNCONFIRMED in GBCS as far as our sources go): the replacements of one
 * command apply all or nothing, so a device never holds half of a supplier's credentials; a
 * party that loses its last cell loses its anti-replay counter with it, and the command's
 * `originatorCounterFloor` sets the floor the new party's counters must reach (DCC.md §8).
 */
export const REPLACEMENT_MODES = [
  'rootBySupplier',
  'rootByWanProvider',
  'supplierBySupplier',
  'networkOperatorByNetworkOperator',
  'accessControlBrokerByACB',
  'wanProviderByWanProvider',
  'transCoSByTransCoS',
  'supplierByTransCoS',
  'anyExceptAbnormalRootByRecovery',
  'anyByContingency',
] as const;
export type ReplacementMode = (typeof REPLACEMENT_MODES)[number];

const ALL_ROLES: readonly RemotePartyRole[] = [
  'root',
  'recovery',
  'supplier',
  'networkOperator',
  'accessControlBroker',
  'transitionalCoS',
  'wanProvider',
  'issuingAuthority',
  'loadController',
  'other',
];

/** Per mode: the party that may use it, and the cells it may replace. */
export const REPLACEMENT_MODE_RULES: Readonly<
  Record<ReplacementMode, { readonly by: RemotePartyRole; readonly replaces: readonly RemotePartyRole[] }>
> = Object.freeze({
  rootBySupplier: { by: 'supplier', replaces: ['root'] },
  rootByWanProvider: { by: 'wanProvider', replaces: ['root'] },
  supplierBySupplier: { by: 'supplier', replaces: ['supplier'] },
  networkOperatorByNetworkOperator: { by: 'networkOperator', replaces: ['networkOperator'] },
  accessControlBrokerByACB: { by: 'accessControlBroker', replaces: ['accessControlBroker'] },
  wanProviderByWanProvider: { by: 'wanProvider', replaces: ['wanProvider'] },
  transCoSByTransCoS: { by: 'transitionalCoS', replaces: ['transitionalCoS'] },
  supplierByTransCoS: { by: 'transitionalCoS', replaces: ['supplier'] },
  anyExceptAbnormalRootByRecovery: { by: 'recovery', replaces: ALL_ROLES.filter((r) => r !== 'root') },
  // The contingency key is held in the root cell in trialsim (no separate contingency cell).
  anyByContingency: { by: 'root', replaces: ALL_ROLES },
});

/** Per-replacement status codes (DCC.md §7). */
export const REPLACEMENT_STATUS = {
  success: 0,
  badCertificate: 5,
  noTrustAnchor: 10,
  trustAnchorNotFound: 25,
  other: 127,
} as const;

/** The Root cell's identifier where a device holds none to keep (the factory's, all zeros). */
const ROOT_CELL_EUI = '00-00-00-00-00-00-00-00';

const derCertificate = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'a DER certificate (bytes)');

const replacementSchema = z
  .object({
    role: z.enum(ALL_ROLES as [RemotePartyRole, ...RemotePartyRole[]]),
    keyUsage: z.enum(['digitalSignature', 'keyAgreement']),
    cellUsage: z.enum(['management', 'prepaymentTopUp']).default('management'),
    /**
     * The new certificate's subject EUI and public key (hex), for the trace's reader: with a
     * certificate the device reads both from it, and without one it trusts nothing (badCertificate).
     */
    eui: z.string().optional(),
    publicKey: z.string().optional(),
    /**
     * The new certificate whole (DER), where the command travels on trialsim's profile (a mode
     * with no GBCS message code here, `FF08`): the device reads its subject and key itself.
     */
    certificate: derCertificate.optional(),
    /** The party whose certificate is being replaced, if the command names it. */
    replaces: z.string().optional(),
    /** The lowest originator counter the device will accept from the new party. */
    originatorCounterFloor: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict();
export type CredentialReplacement = z.input<typeof replacementSchema>;

export const credentialReplacementBodySchema = z
  .object({
    replacementMode: z.enum(REPLACEMENT_MODES),
    replacements: z.array(replacementSchema).min(1).max(16),
    /** The Issuing CA certificate(s) the replacements chain through to the device's Root. */
    certificationPath: z.array(derCertificate).optional(),
    /** CS02b [1] (DUIS ApplyTimeBasedCPVChecks); absent is the DEFAULT, apply. */
    applyTimeBasedCpvChecks: z.boolean().optional(),
  })
  .strict();
export type CredentialReplacementBody = z.input<typeof credentialReplacementBodySchema>;

interface ReplacementResult {
  readonly role: RemotePartyRole;
  readonly keyUsage: string;
  readonly cellUsage: string;
  readonly eui: string;
  readonly status: number;
  readonly reason?: string;
  /** The new key (hex) when it is a P-256 point: CS02b's response names its key identifier. */
  readonly publicKey?: string;
  /** What the target cell held before: CS02b's response names the existing subject and key. */
  readonly replacedEui?: string;
  readonly replacedPublicKey?: string;
  /** The floor the command set for the new party's counters. */
  readonly originatorCounterFloor?: number;
}

/** The key if it is an uncompressed point on P-256 (a device validates what it will trust). */
function publicKeyFromHex(hex: string): Uint8Array | undefined {
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) return undefined;
  const bytes = Uint8Array.from(Buffer.from(hex, 'hex'));
  if (!isUncompressedP256Point(bytes)) return undefined;
  try {
    p256.Point.fromBytes(bytes).assertValidity();
    return bytes;
  } catch {
    return undefined;
  }
}

const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/**
 * Whom a replacement names and the key it carries: from the certificate when the command carries
 * it whole, else as the CS02b reading gave them. Empty when unreadable: badCertificate. A Root
 * certificate names no EUI (its subject is a name and OU 00): the Root cell keeps the identifier
 * it held (`held`), and only its key changes.
 */
function subjectOf(
  replacement: z.output<typeof replacementSchema>,
  held: TrustAnchorCell | undefined,
): { eui: string; publicKey: string } {
  if (replacement.certificate === undefined)
    return { eui: replacement.eui ?? '', publicKey: replacement.publicKey ?? '' };
  if (replacement.role === 'root') {
    const key = readCertificatePublicKey(replacement.certificate);
    return { eui: held?.eui ?? ROOT_CELL_EUI, publicKey: key === undefined ? '' : toHex(key) };
  }
  const subject = readCertificateSubject(replacement.certificate);
  return subject === undefined
    ? { eui: '', publicKey: '' }
    : { eui: subject.eui, publicKey: toHex(subject.publicKey) };
}

/**
 * Why the replacement's certificate may not be trusted (replacement-certificate-checks.ts), or
 * undefined. A replacement that carries no certificate has nothing a device could validate.
 */
function certificateFault(
  replacement: z.output<typeof replacementSchema>,
  context: Parameters<typeof replacementCertificateFault>[2],
  defect: DeviceDefect | undefined,
): string | undefined {
  if (replacement.certificate === undefined) return 'the replacement carries no certificate';
  // A new Root has no CA above it to validate against (root-certificate-checks.ts).
  const fault = replacement.role === 'root' ? rootCertificateFault : replacementCertificateFault;
  return fault(replacement.certificate, replacement, context, defect);
}

function failure(
  state: DeviceState,
  mode: unknown,
  reason: string,
  results: ReplacementResult[],
): CommandResult {
  return { state, body: { status: 'failure', replacementMode: mode, reason, results } };
}

/** Executes an authenticated CS02b command (6.15.1 or 6.23). */
export function replaceCredentials(
  state: DeviceState,
  command: GbcsPayload,
  now: number,
  defect?: DeviceDefect,
): CommandResult {
  const parsed = credentialReplacementBodySchema.safeParse(command.body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
    return failure(state, command.body.replacementMode, `malformed credential replacement: ${issues}`, []);
  }
  const { replacementMode, replacements } = parsed.data;
  const rule = REPLACEMENT_MODE_RULES[replacementMode];
  const originator = euiFromBytes(command.originator);
  const source = findCell(state.trustAnchors, originator, 'digitalSignature');
  if (source?.role !== rule.by && defect !== 'no-replacement-mode-check') {
    // The signature verified, but this party may not use this mode: nothing is replaced.
    const reason = `${replacementMode} is for the ${rule.by} party, not ${source?.role ?? originator}`;
    return failure(
      state,
      replacementMode,
      reason,
      replacements.map((replacement) => ({
        role: replacement.role,
        keyUsage: replacement.keyUsage,
        cellUsage: replacement.cellUsage,
        eui: subjectOf(replacement, undefined).eui,
        status: REPLACEMENT_STATUS.other,
        reason,
      })),
    );
  }

  const cells = [...state.trustAnchors];
  // Validated against the device's cells as the command found them, never a Root it just replaced.
  const pathContext = {
    certificationPath: parsed.data.certificationPath ?? [],
    rootPublicKey: cellFor(state.trustAnchors, 'root', 'digitalSignature')?.publicKey,
    applyTimeBasedCpvChecks: parsed.data.applyTimeBasedCpvChecks ?? true,
    now,
  };
  const results: ReplacementResult[] = [];
  const floors: Record<string, number> = {};
  for (const replacement of replacements) {
    const { role, keyUsage, cellUsage, replaces } = replacement;
    const fault = certificateFault(replacement, pathContext, defect);
    const index = cells.findIndex(
      (c) => c.role === role && c.keyUsage === keyUsage && c.cellUsage === cellUsage,
    );
    const held = cells[index];
    const subject = subjectOf(replacement, held);
    const eui = subject.eui;
    const publicKey =
      defect === 'accepts-invalid-replacement-key'
        ? Uint8Array.from(Buffer.from(subject.publicKey, 'hex'))
        : publicKeyFromHex(subject.publicKey);
    const result = (status: number, reason?: string) =>
      results.push({
        role,
        keyUsage,
        cellUsage,
        eui,
        status,
        ...(reason === undefined ? {} : { reason }),
        ...(publicKey === undefined ? {} : { publicKey: toHex(publicKey) }),
        ...(replacement.originatorCounterFloor === undefined
          ? {}
          : { originatorCounterFloor: replacement.originatorCounterFloor }),
        ...(held === undefined ? {} : { replacedEui: held.eui, replacedPublicKey: toHex(held.publicKey) }),
      });
    if (!rule.replaces.includes(role)) {
      result(REPLACEMENT_STATUS.other, `${replacementMode} may not replace ${role} cells`);
    } else if (!isEui(eui) || publicKey === undefined) {
      result(REPLACEMENT_STATUS.badCertificate, 'subject EUI or P-256 public key invalid');
    } else if (fault !== undefined) {
      result(REPLACEMENT_STATUS.badCertificate, `certificate refused: ${fault}`);
    } else if (index < 0) {
      result(REPLACEMENT_STATUS.noTrustAnchor, `no ${role} ${keyUsage} ${cellUsage} cell to replace`);
    } else if (replaces !== undefined && (cells[index] as TrustAnchorCell).eui !== replaces.toUpperCase()) {
      result(
        REPLACEMENT_STATUS.trustAnchorNotFound,
        `the ${role} ${keyUsage} cell holds ${(cells[index] as TrustAnchorCell).eui}, not ${replaces}`,
      );
    } else {
      const cell = { role, keyUsage, cellUsage, eui: eui as Eui, publicKey };
      if (defect === 'replacement-keeps-old-cell') cells.push(cell);
      else cells[index] = cell;
      if (replacement.originatorCounterFloor !== undefined) floors[eui] = replacement.originatorCounterFloor;
      result(REPLACEMENT_STATUS.success);
    }
  }
  if (results.some((r) => r.status !== REPLACEMENT_STATUS.success)) {
    return failure(state, replacementMode, 'a replacement failed: no cell was changed', results);
  }

  // Parties left without any cell lose their anti-replay state: if one ever returns, the floor
  // its new credentials carry is what stops replays of its old commands (DCC.md §8).
  const remaining = new Set(cells.map((c) => c.eui));
  const keep = <T>(record: Readonly<Record<string, T>>) =>
    Object.fromEntries(Object.entries(record).filter(([party]) => remaining.has(party as Eui)));
  const detail = `${replacementMode} by ${originator}: ${results.map((r) => `${r.role} ${r.keyUsage} → ${r.eui}`).join(', ')}`;
  const entry = { at: now, code: '0x8F70', detail };
  let next: DeviceState = {
    ...state,
    trustAnchors: cells,
    lastCounters: keep(state.lastCounters),
    counterFloors: { ...keep(state.counterFloors), ...floors },
    eventLog: appendLog(state.eventLog, entry),
    securityLog: appendLog(state.securityLog, entry),
  };
  // DCC.md §3: the device acknowledges a credential update with alert 0x8F70.
  const alerts: AlertOut[] = [{ code: '0x8F70', body: { replacementMode, originator, results } }];
  // TRIALS.md: the losing party loses all access, so a future-dated command it left behind (an
  // 11.3 activation) is cancelled, not run in its name later: 0x8F67 says it was not actioned.
  // (trialsim's decision; UNCONFIRMED in GBCS as far as our sources go.)
  const pending = state.firmware.futureDated;
  if (
    pending !== undefined &&
    !remaining.has(pending.originator) &&
    defect !== 'future-dated-survives-replacement'
  ) {
    const reason = `future-dated 11.3 from ${pending.originator} cancelled: its credentials were replaced`;
    next = {
      ...next,
      firmware: { ...next.firmware, futureDated: undefined },
      eventLog: appendLog(next.eventLog, { at: now, code: '0x8F67', detail: reason }),
    };
    // 0x00CA carries the CS06 ExecutionOutcome, which has no "cancelled" code (GBCS.md §7.7): a
    // command not actioned is activationFailure (3), named by its counter; the reason stays in
    // the event log, which is where a reader of the device finds it.
    alerts.push({
      code: '0x8F67',
      body: {
        status: 'activationFailure',
        firmwareVersion: state.firmwareVersion,
        commandCounter: pending.counter,
        executionDateTime: new Date(now).toISOString(),
        imageHash: pending.imageHash,
      },
    });
  }
  return {
    state: next,
    body: { status: 'success', replacementMode, results },
    outputs: { alerts, timers: [] },
  };
}
