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
  'no-originator-check',
  'ignore-recipient',
  'accept-replay',
  'ignore-counter-floor',
  'counter-advances-on-reject',
  'constant-counter',
  'answer-twice',
  'no-alert-on-malformed',
  'no-hw-version-check',
  'no-firmware-signature-check',
  'no-image-hash-check',
  'future-dated-runs-now',
  'no-replacement-mode-check',
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
