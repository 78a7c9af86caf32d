import type { DeviceDefect } from '../../../simulator/domain/index.js';

/** One mutant: the reference device with one defect, and the device rule the defect breaks. */
export interface Mutant {
  readonly defect: DeviceDefect;
  /** The conformance requirement written to catch it (a scenario step's `requirement:`). */
  readonly rule: string;
  readonly breaks: string;
}

/**
 * The mutant catalogue (MUTANTS.md): one defect per rule a device must keep. `npm run mutants`
 * runs the conformance suite against each; every one must be killed (fail some case).
 */
export const MUTANTS: readonly Mutant[] = [
  {
    defect: 'no-signature-check',
    rule: 'DEV-AUTH-SIGNATURE',
    breaks: 'critical commands accepted unsigned or with a bad signature',
  },
  {
    defect: 'no-mac-check-non-critical',
    rule: 'DEV-AUTH-MAC',
    breaks: 'non-critical commands accepted without a valid ACB MAC',
  },
  {
    defect: 'verify-against-any-cell',
    rule: 'DEV-AUTH-SIGNATURE',
    breaks: "a signature by any trusted party's key passes, not only the originator's",
  },
  {
    defect: 'no-role-check',
    rule: 'DEV-AUTHORITY-CRITICAL',
    breaks: 'no authority check: any known party may send any command',
  },
  {
    defect: 'no-role-check-critical',
    rule: 'DEV-AUTHORITY-CRITICAL',
    breaks: 'any known party may send a critical command (8.1.1, 11.3); the other classes are checked',
  },
  {
    defect: 'no-role-check-credentials',
    rule: 'DEV-AUTHORITY-CREDENTIALS',
    breaks: 'any known party may send a credential replacement (6.15.1, 6.23)',
  },
  {
    defect: 'no-role-check-reads',
    rule: 'DEV-AUTHORITY-READ',
    breaks: 'any known party may read (11.2, 4.1.1, 6.13)',
  },
  {
    defect: 'no-role-check-supplier-commands',
    rule: 'DEV-AUTHORITY-SUPPLIER-ONLY',
    breaks: "any known party may send the Supplier's non-critical commands (11.1, 8.3)",
  },
  {
    defect: 'refusals-not-logged',
    rule: 'DEV-AUTH-LOGGED',
    breaks: 'refused commands are alerted but not written to the security log',
  },
  {
    defect: 'no-originator-check',
    rule: 'DEV-ORIGINATOR',
    breaks: 'a command from a party with no trust anchor on the device is executed',
  },
  {
    defect: 'ignore-recipient',
    rule: 'DEV-RECIPIENT',
    breaks: 'commands addressed to another device are executed',
  },
  {
    defect: 'accept-replay',
    rule: 'DEV-REPLAY',
    breaks: 'a command with the last accepted counter is executed again',
  },
  {
    defect: 'ignore-counter-floor',
    rule: 'DEV-COUNTER-FLOOR',
    breaks: 'the counter floor a credential replacement sets is not enforced',
  },
  {
    defect: 'counter-advances-on-reject',
    rule: 'DEV-REPLAY-NO-BURN',
    breaks: 'a forged command moves the stored counter (burns counters)',
  },
  {
    defect: 'constant-counter',
    rule: 'DEV-CONDUCT',
    breaks: 'every message sent with the same counter (GCM nonce reuse)',
  },
  {
    defect: 'counter-restarts-after-reboot',
    rule: 'DEV-CONDUCT',
    breaks:
      'the device counts its own messages from 0 again after the reboot into new firmware (counter reuse)',
  },
  { defect: 'answer-twice', rule: 'DEV-CONDUCT', breaks: 'every response sent twice' },
  {
    defect: 'no-alert-on-malformed',
    rule: 'DEV-MALFORMED',
    breaks: 'undecodable or truncated messages ignored without 0x8F1E',
  },
  { defect: 'no-hw-version-check', rule: 'DEV-FW-HARDWARE', breaks: 'firmware for other hardware accepted' },
  {
    defect: 'no-firmware-signature-check',
    rule: 'DEV-FW-SIGNATURE',
    breaks: "firmware accepted without verifying the manufacturer's signature",
  },
  {
    defect: 'no-image-hash-check',
    rule: 'DEV-FW-HASH',
    breaks: '11.3 activates the held image whatever hash it names',
  },
  {
    defect: 'future-dated-runs-now',
    rule: 'DEV-FW-FUTURE-DATED',
    breaks: 'a future-dated 11.3 runs at once',
  },
  {
    defect: 'cancellation-ignored',
    rule: 'DEV-FW-CANCEL-FUTURE-DATED',
    breaks: 'a CS06 cancellation is acknowledged but the stored future-dated 11.3 still runs',
  },
  {
    defect: 'future-dated-credentials-run-now',
    rule: 'DEV-CS02B-FUTURE-DATED',
    breaks: 'a future-dated 6.15.1 (CS02b) replaces the credentials at once',
  },
  {
    defect: 'credentials-cancellation-ignored',
    rule: 'DEV-CS02B-CANCEL-FUTURE-DATED',
    breaks: 'a CS02b cancellation is acknowledged but the held future-dated credential update still runs',
  },
  {
    defect: 'no-replacement-mode-check',
    rule: 'DEV-CS02B-MODE',
    breaks: 'any party may use any credential replacement mode',
  },
  {
    defect: 'accepts-invalid-replacement-key',
    rule: 'DEV-CS02B-BAD',
    breaks: 'a CS02b replacement installs a key that is not a P-256 point',
  },
  {
    defect: 'no-issuing-ca-root-check',
    rule: 'DEV-CS02B-CERT-PATH',
    breaks:
      "a replacement certificate's Issuing CA is trusted without checking that the device's Root signed it",
  },
  {
    defect: 'no-issuing-ca-constraints-check',
    rule: 'DEV-CS02B-CERT-PATH',
    breaks:
      'an Issuing CA certificate whose key may not sign certificates (no keyCertSign) is trusted as a CA',
  },
  {
    defect: 'no-issuing-ca-validity-check',
    rule: 'DEV-CS02B-CERT-VALIDITY',
    breaks: "an expired Issuing CA's certificates are trusted while time-based CPV checks apply",
  },
  {
    defect: 'no-certificate-issuer-check',
    rule: 'DEV-CS02B-CERT-ISSUER',
    breaks: 'a replacement certificate naming the Issuing CA is trusted without verifying its signature',
  },
  {
    defect: 'no-certificate-key-usage-check',
    rule: 'DEV-CS02B-CERT-KEY-USAGE',
    breaks: 'a replacement certificate goes into a cell whatever its key usage (a KA key into a DS cell)',
  },
  {
    defect: 'no-certificate-role-check',
    rule: 'DEV-CS02B-CERT-ROLE',
    breaks: 'a replacement certificate goes into a cell whatever role its subject OU names',
  },
  {
    defect: 'no-certificate-validity-check',
    rule: 'DEV-CS02B-CERT-VALIDITY',
    breaks: 'an expired replacement certificate is trusted while time-based CPV checks apply',
  },
  {
    defect: 'no-root-self-signature-check',
    rule: 'DEV-CS02B-ROOT',
    breaks: 'a new Root is installed without checking that it is self-signed by its own key',
  },
  {
    defect: 'no-root-ca-check',
    rule: 'DEV-CS02B-ROOT',
    breaks: 'a certificate that may not sign certificates (no cA, no keyCertSign) is installed as the Root',
  },
  {
    defect: 'replacement-keeps-old-cell',
    rule: 'DEV-CS02B-GOOD',
    breaks: 'a CS02b replacement adds the new cell but leaves the replaced one trusted',
  },
  {
    defect: 'silent-transfer-success',
    rule: 'DEV-FW-TRANSFER',
    breaks: 'a verified image is held without the 0x8F8A transfer-success alert',
  },
  {
    defect: 'future-dated-survives-replacement',
    rule: 'DEV-FW-CANCELLATION',
    breaks: "a replaced supplier's future-dated 11.3 is not cancelled",
  },
  {
    defect: 'decommissioned-still-executes',
    rule: 'DEV-DECOMMISSIONED',
    breaks: 'a decommissioned device still executes commands',
  },
  {
    defect: 'clock-follows-stale-datetime',
    rule: 'DEV-TIME',
    breaks: "the device's clock runs back to an old command's dateTime",
  },
];
