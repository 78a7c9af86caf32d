/**
 * Named defects the reference device can be started with, one at a time, to prove that the
 * conformance suite catches a device that breaks a rule (`npm run mutants`,
 * harness/dut/mutants/MUTANTS.md). Off unless the environment names one; only `trialsim
 * device --mutant` and the mutant runner set it. Each hook is one condition at the rule it
 * breaks, so the device's own logic stays readable.
 */
export const DEVICE_DEFECTS = [
  'no-signature-check',
  'no-mac-check-non-critical',
  'verify-against-any-cell',
  'no-role-check',
  'no-role-check-critical',
  'no-role-check-credentials',
  'no-role-check-reads',
  'no-role-check-supplier-commands',
  'refusals-not-logged',
  'no-originator-check',
  'ignore-recipient',
  'accept-replay',
  'ignore-counter-floor',
  'counter-advances-on-reject',
  'constant-counter',
  'counter-restarts-after-reboot',
  'answer-twice',
  'no-alert-on-malformed',
  'no-hw-version-check',
  'no-firmware-signature-check',
  'no-image-hash-check',
  'future-dated-runs-now',
  'cancellation-ignored',
  'future-dated-credentials-run-now',
  'credentials-cancellation-ignored',
  'no-replacement-mode-check',
  'accepts-invalid-replacement-key',
  'no-issuing-ca-root-check',
  'no-issuing-ca-constraints-check',
  'no-issuing-ca-validity-check',
  'no-certificate-issuer-check',
  'no-certificate-key-usage-check',
  'no-certificate-role-check',
  'no-certificate-validity-check',
  'no-root-self-signature-check',
  'no-root-ca-check',
  'replacement-keeps-old-cell',
  'silent-transfer-success',
  'future-dated-survives-replacement',
  'decommissioned-still-executes',
  'clock-follows-stale-datetime',
] as const;
export type DeviceDefect = (typeof DEVICE_DEFECTS)[number];

export function isDeviceDefect(name: string): name is DeviceDefect {
  return (DEVICE_DEFECTS as readonly string[]).includes(name);
}

/** True when the device was started with this defect (never in a normal run). */
export function hasDefect(
  env: { readonly defect?: DeviceDefect } | undefined,
  defect: DeviceDefect,
): boolean {
  return env?.defect === defect;
}

/**
 * The role-check defect that skips authority for this command's class only: critical commands,
 * credential replacement (CS02b), reads the network operator may also send, and the
 * Supplier's own non-critical commands (11.1, 8.3).
 */
export function roleCheckDefectFor(
  messageCode: string,
  critical: boolean,
  authority: readonly string[],
): DeviceDefect {
  if (messageCode === '6.15.1' || messageCode === '6.23') return 'no-role-check-credentials';
  if (critical) return 'no-role-check-critical';
  return authority.includes('networkOperator') ? 'no-role-check-reads' : 'no-role-check-supplier-commands';
}
