/**
 * Every modelling decision the sources leave open, as one named policy setting with its default
 * (TRIALS.md: "where the report leaves a value open, trialsim makes it a policy setting"; the
 * domain notes mark such points UNCONFIRMED). One registry, so the evidence can list each choice
 * trialsim made and a reviewer can see which of them a run changed.
 *
 * `overridable` says whether a run may change the value (scenario `policy:` or `overridePolicy`);
 * a setting that is not overridable is still listed, because the evidence must say the choice was
 * made, but its value is built into the code named in `whereItApplies`.
 */
export type PolicyValue = string | number | boolean;

export interface PolicySetting {
  readonly id: string;
  readonly title: string;
  /** The default. */
  readonly value: PolicyValue;
  /** The values a run may choose, when the setting is a choice; absent for numbers. */
  readonly choices?: readonly PolicyValue[];
  /** What the setting decides, in the project's words. */
  readonly description: string;
  /** Where in trialsim the setting takes effect (source files, SRVs, reports). */
  readonly whereItApplies: string;
  /** The project document that leaves the point open. */
  readonly source: string;
  /**
   * The UNCONFIRMED point as the domain notes' table of open points names it (DUIS.md §12,
   * GBCS.md §11), so a test can check that every row of those tables has its setting here.
   */
  readonly point?: string;
  readonly overridable: boolean;
}

function setting(s: PolicySetting): PolicySetting {
  return Object.freeze({
    ...s,
    ...(s.choices === undefined ? {} : { choices: Object.freeze([...s.choices]) }),
  });
}

export const POLICY_SETTINGS: readonly PolicySetting[] = Object.freeze([
  // --- Trial limits (TRIALS.md "Limits"): defaults for a trial; each trial may set its own.
  setting({
    id: 'trial.maxDevices',
    title: 'Devices per trial',
    value: 100,
    description:
      'The most devices a trial may have on its firmware in the field. Earlier BEIS trials used 100; the SSC left the number open, possibly per device type.',
    whereItApplies:
      'default of a trial’s maxDevices (simulator/domain/trial/trial.ts); enforced at 8.1.1, 11.3 and SSC approval',
    source: 'TRIALS.md Limits',
    overridable: true,
  }),
  setting({
    id: 'trial.durationMonths',
    title: 'Trial duration',
    value: 18,
    description:
      'How long a trial runs, in calendar months from its start (clamped to the end of a shorter month). BEIS trials ran 12 months; the proposer suggested 18.',
    whereItApplies: 'default of a trial’s durationMonths; trial end (simulator/time/durations.ts addMonths)',
    source: 'TRIALS.md Limits',
    overridable: true,
  }),
  setting({
    id: 'trial.eligibility',
    title: 'Who may run a trial',
    value: 'anyCertifiedProduct',
    choices: ['anyCertifiedProduct', 'sameDeviceTypeCertified', 'none'],
    description:
      'Whether the manufacturer must already have a CPA-certified product on the CPL (of any type, or of the trial device’s type) when the SSC approves the trial. Judged when the SSC approves, not at the run start.',
    whereItApplies: 'SSC approval (simulator/domain/dcc/trial-administration.ts approveTrial)',
    source: 'TRIALS.md Limits',
    overridable: true,
  }),
  setting({
    id: 'trial.endOfTrialAction',
    title: 'What a trial device must do by the end of its trial',
    value: 'upgradeOrRemove',
    choices: ['upgradeOrRemove'],
    description:
      'Each trial device is upgraded over the air to CPA-certified firmware or removed; the report allows no third way.',
    whereItApplies: 'SSC report: devices neither upgraded nor removed are overdue',
    source: 'TRIALS.md Limits, End of trial',
    overridable: false,
  }),
  setting({
    id: 'trial.excludeFromOpr',
    title: 'Trial devices left out of OPR',
    value: true,
    description:
      'Service requests to a trial device are left out of the SLA/OPR figures, from the device’s first contact with the DCC (its failures before it is first commissioned included).',
    whereItApplies: 'OPR report (simulator/domain/reports/opr-report.ts); SR outcomes (sr-outcomes.ts)',
    source: 'TRIALS.md step 8',
    overridable: true,
  }),
  // --- Trial membership and consequences (trialsim's modelling decisions).
  setting({
    id: 'trial.membership',
    title: 'What makes a device a trial device',
    value: 'runningFirmware',
    choices: ['runningFirmware'],
    description:
      'A device is a trial device while the CPL entry for its model, hardware version and running firmware carries a Trial CPA reference, however it got that firmware (commissioning, 11.3, pre-installation, another trial’s firmware). The cap, the SSC report, the DNO list and the OPR exclusion all follow this one rule.',
    whereItApplies: 'simulator/domain/dcc/trial-membership.ts',
    source: 'TRIALS.md step 4 (the CPL format does not change)',
    overridable: false,
  }),
  setting({
    id: 'trial.capCounts',
    title: 'What a trial cap counts',
    value: 'everOnTrialFirmware',
    choices: ['everOnTrialFirmware'],
    description:
      'The cap counts every device that has been in the field on the trial’s firmware during the trial; a device upgraded or removed does not free its slot, so the cap cannot be cycled.',
    whereItApplies: 'trial cap at 8.1.1, 11.3 and SSC approval (trial-membership.ts)',
    source: 'TRIALS.md Limits (hard limits); decisions log 2026-11-22',
    overridable: false,
  }),
  setting({
    id: 'trial.endConsequence',
    title: 'What happens to trial devices when the trial ends',
    value: 'suspend',
    choices: ['suspend'],
    description:
      'The trial’s CPL entries become Expired; devices still on trial firmware become Suspended (DeviceSuspended), every SR to them except 11.1/11.2/11.3 and 8.3 fails with E5, and they are overdue in the SSC report until upgraded or removed.',
    whereItApplies: 'trial end timer (trial-administration.ts endTrial); SSC report',
    source: 'TRIALS.md End of trial (a modelling decision; the report only says "upgrade or remove")',
    overridable: false,
  }),
  setting({
    id: 'trial.withdrawalConsequence',
    title: 'What an SSC withdrawal does',
    value: 'suspendAsAtEnd',
    choices: ['suspendAsAtEnd'],
    description:
      'When the SSC withdraws a trial, its CPL entries become Withdrawn and its devices are treated as at the end of the trial: Suspended, and due for upgrade or removal in the SSC report.',
    whereItApplies: 'SSC withdraw action (trial-administration.ts withdrawTrial)',
    source: 'TRIALS.md (the SSC may act during a trial; the consequence is not given)',
    overridable: false,
  }),
  setting({
    id: 'trial.extensionLimitMonths',
    title: 'Longest total trial after extensions',
    value: 36,
    description:
      'The SSC may extend a running trial; trialsim refuses an extension that would make the trial longer than this many months in all (TRIAL-EXTENSION).',
    whereItApplies: 'SSC extend action (trial-administration.ts extendTrial)',
    source: 'TRIALS.md (limits are hard limits; an extension limit is not given)',
    overridable: true,
  }),
  setting({
    id: 'trial.overCapDiscovery',
    title: 'A device found running trial firmware with no slot left',
    value: 'suspend',
    choices: ['suspend'],
    description:
      'If 11.2 (or a reconciled firmware report) shows a device running a trial’s firmware that the DCC did not let onto it and the cap is full, the device is Suspended (rule TRIAL-CAP) and listed in the SSC report as over the cap; it is never left running uncapped and unreported.',
    whereItApplies: 'firmware reconciliation (trial-membership.ts)',
    source: 'TRIALS.md Limits',
    overridable: false,
  }),
  // --- Firmware screening against the CPL.
  setting({
    id: 'firmware.screening.11.1',
    title: '11.1 with firmware that has no CPL entry',
    value: 'refuse',
    choices: ['refuse', 'warn'],
    description:
      'What the DCC does when 11.1 distributes a firmware version that has no CPL entry for a listed device’s model and hardware version: refuse the whole request (E110101), or distribute and answer with a warning (W110101) naming the devices. DUIS gives 11.1 these codes but the sources do not give their meanings; this is trialsim’s reading.',
    whereItApplies: '11.1 (simulator/domain/dcc/firmware-screening.ts)',
    source: 'DUIS.md §3.2 (six-digit codes, meanings UNCONFIRMED)',
    overridable: true,
  }),
  setting({
    id: 'firmware.screening.11.3',
    title: '11.3 activating firmware that has no CPL entry',
    value: 'refuse',
    choices: ['refuse', 'warn'],
    description:
      'What the DCC does when 11.3 would activate an image whose firmware version has no CPL entry for the device’s model and hardware version (the device would be Suspended at once): refuse (E12, rule FIRMWARE-NOT-ON-CPL; DUIS lists no 11.3-specific code), or pass it on with a warning in the acknowledgement.',
    whereItApplies: '11.3 (simulator/domain/dcc/firmware-screening.ts)',
    source: 'DCC.md §10; DUIS.md §3.2 (no 11.3 code listed)',
    overridable: true,
  }),
  // --- CPL and SMI (DCC.md §4, §5).
  setting({
    id: 'cpl.nonActiveEntryEffect',
    title: 'Installed devices whose CPL entry is not Active',
    value: 'suspend',
    choices: ['suspend'],
    description:
      'A Commissioned device whose model and firmware leave an Active CPL entry becomes Suspended; it is restored when the entry is Active again.',
    whereItApplies: 'firmware-reconciliation.ts applyCplRules',
    source: 'DCC.md §4, §5',
    overridable: false,
  }),
  setting({
    id: 'smi.transitionOrder',
    title: 'SMI status sequence',
    value: 'Pending→Whitelisted→InstalledNotCommissioned→Commissioned→Decommissioned',
    description:
      'The order of SMI statuses a device moves through, inferred from the SRVs (12.2, 8.11, 8.4, 8.1.1, 8.3); the detail is not sourced.',
    whereItApplies: 'simulator/domain/smi/smi-status.ts SMI_TRANSITIONS',
    source: 'DCC.md §4',
    overridable: false,
  }),
  setting({
    id: 'duis.futureDatedTimeout',
    title: 'When a future-dated command has timed out (E30)',
    value: 'executionNotAfterDccTime',
    choices: ['executionNotAfterDccTime'],
    description:
      'The DCC refuses a future-dated command with E30 when its execution date-time is not after the DCC’s time as it would send it on (at CV 1/4, and again at CV 5).',
    whereItApplies: 'simulator/domain/dcc/future-dated.ts',
    source: 'DCC.md §2',
    overridable: false,
  }),
  setting({
    id: 'cos.futureDated',
    title: 'A 6.23 future-dated to the supply start date',
    value: 'dccHoldsUntilExecution',
    choices: ['dccHoldsUntilExecution'],
    description:
      'The gaining supplier may send 6.23 before its supply start date with that date as its execution date-time: the DCC judges the registration at that date-time (E4 if the gaining supplier is not registered then), answers I99, holds the request, judges the registration again when the date-time comes, and then its CoS party sends the CS02b; the gaining supplier gets I0 when the device confirms. GBCS lets a CS02b carry the execution time to the device itself (alert 0x00CB); trialsim’s devices do not store a future-dated credential update, so the DCC holds it.',
    whereItApplies: 'simulator/domain/dcc/change-of-supplier.ts; 6.23 access control (access-control.ts)',
    source: 'DCC.md §9 (the interim window is open); GBCS.md §7.8',
    overridable: false,
  }),
  setting({
    id: 'duis.otherResponseCodes',
    title: 'Response codes beyond the sourced ones',
    value: 'genericWithRule',
    choices: ['genericWithRule'],
    description:
      'Where no source gives a code’s meaning, trialsim answers with the generic code (E4, E5, E12 …) and names the rule that fired; six-digit SRV codes are used only where a setting says so.',
    whereItApplies: 'simulator/domain/duis/response-codes.ts; every refusal',
    source: 'DCC.md §2; DUIS.md §3.2, §12',
    point: 'codes for unmodelled 8.4, 6.13 and 8.14 branches and per-SRV codes',
    overridable: false,
  }),
  setting({
    id: 'duis.alertNCodes',
    title: 'N-codes of DCC alerts',
    value: 'namesOnly',
    choices: ['namesOnly'],
    description: 'DCC alerts are named (DeviceSuspended, ChangeOfSupplier …); only N24 has a sourced number.',
    whereItApplies: 'DCC alerts (simulator/domain/messages/duis-messages.ts)',
    source: 'DCC.md §3; DUIS.md §12',
    point: 'N-codes for DCC alerts',
    overridable: false,
  }),
  setting({
    id: 'duis.schemaVersion',
    title: 'DUIS schema version accepted and written',
    value: 'accept 5.1–5.4, write 5.4',
    description: 'Any decimal schema version from 5.1 to 5.4 is accepted; trialsim writes 5.4.',
    whereItApplies: 'DUIS XML adapter',
    source: 'DUIS.md §12',
    point: '`schemaVersion` accepted and written',
    overridable: false,
  }),
  setting({
    id: 'duis.acknowledgementsSigned',
    title: 'Whether I99/Exx acknowledgements are signed',
    value: 'sign',
    choices: ['sign'],
    description: 'Acknowledgements are signed; unsigned ones are accepted only in ZAZ1 compatibility mode.',
    whereItApplies: 'DUIS XML adapter',
    source: 'DUIS.md §12',
    point: 'acknowledgements signed',
    overridable: false,
  }),
  setting({
    id: 'gbcs.firmwareVersionEncoding',
    title: 'Firmware version octets as a DUIS string',
    value: 'hexUpperCase',
    choices: ['hexUpperCase'],
    description:
      'The device’s firmware version octets are written as upper-case hex (8 characters for 4 bytes).',
    whereItApplies: 'GBCS codec, 11.2/11.3 responses',
    source: 'GBCS.md §11',
    point: 'firmware version octets ↔ DUIS FirmwareVersion',
    overridable: false,
  }),
  setting({
    id: 'gbcs.manufacturerImageHash',
    title: 'Manufacturer image hash',
    value: 'sha256OfManufacturerImage',
    choices: ['sha256OfManufacturerImage'],
    description: 'The 32-byte hash 11.3 carries is SHA-256 of the manufacturer image.',
    whereItApplies: 'simulator/domain/firmware/firmware-image.ts; 11.3',
    source: 'GBCS.md §11',
    point: 'manufacturer image hash',
    overridable: false,
  }),
  setting({
    id: 'gbcs.alertRecipients',
    title: 'Alert criticality and recipients',
    value: 'perAlertCodeTable',
    choices: ['perAlertCodeTable'],
    description:
      'One table per GBCS alert code says whether it is critical and which party receives it (firmware verification alerts to the Supplier, transfer alerts to the ACB …).',
    whereItApplies: 'device alerts (simulator/domain/dcc/device-alerts.ts)',
    source: 'GBCS.md §11',
    point: 'alert criticality and recipients',
    overridable: false,
  }),
  setting({
    id: 'duis.alertHeader',
    title: 'Header of device and DCC alerts',
    value: 'ResponseID source:user:counter, no RequestID',
    choices: ['ResponseID source:user:counter, no RequestID'],
    description:
      'A device alert or DCC alert the DCC sends a User carries a ResponseID `source:user:counter` (the device’s own alert counter, or the DCC’s alert counter) and no RequestID; DUIS does not say which header fields alerts carry.',
    whereItApplies: 'DUIS XML responses (simulator/domain/duis/xml/duis-response-xml.ts)',
    source: 'DUIS.md §3.1, §12',
    point: 'header of device and DCC alerts',
    overridable: false,
  }),
  setting({
    id: 'duis.whitespace',
    title: 'Whitespace in DUIS XML',
    value: 'sign and send minified; accept both',
    choices: ['sign and send minified; accept both'],
    description:
      'trialsim signs and sends whitespace-free XML and accepts XML with whitespace between elements (stripped before the signature is checked, as DCC Boxed’s verifier does).',
    whereItApplies: 'DUIS XML (simulator/domain/duis/xml/duis-xml.ts)',
    source: 'DUIS.md §12',
    point: 'whitespace tolerance',
    overridable: false,
  }),
  setting({
    id: 'duis.callbackRetries',
    title: 'Callback delivery retries',
    value: 'backoff in virtual time; a 400 is final',
    choices: ['backoff in virtual time; a 400 is final'],
    description:
      'A response or alert the User’s callback does not accept is retried after 1, 2, 4 … 32 s of virtual time; an HTTP 400 (the User found the message invalid) ends the delivery.',
    whereItApplies: 'DUIS callbacks (simulator/adapters/duis-http/callback-delivery.ts)',
    source: 'DUIS.md §12',
    point: 'callback retries',
    overridable: false,
  }),
  setting({
    id: 'duis.mutualTls',
    title: 'Mutual TLS on the DUIS interface',
    value: 'optional, with a trialsim test CA standing in for DCCKI',
    choices: ['optional, with a trialsim test CA standing in for DCCKI'],
    description:
      'The DUIS endpoint may run over TLS with client certificates from trialsim’s own test CA in place of DCCKI; the real DCC User Gateway’s TLS set-up is not public.',
    whereItApplies: 'DUIS HTTP server (simulator/adapters/duis-http/duis-server.ts)',
    source: 'DUIS.md §11, §12',
    point: 'mutual TLS',
    overridable: false,
  }),
  setting({
    id: 'duis.cv9',
    title: 'Command variant 9',
    value: 'refused with E12',
    choices: ['refused with E12'],
    description: 'CV 9 is internal to the DCC Data Systems; a User request with CV 9 is refused with E12.',
    whereItApplies: 'DUIS HTTP server (simulator/adapters/duis-http/duis-server.ts)',
    source: 'DUIS.md §12',
    point: 'CV 9',
    overridable: false,
  }),
  setting({
    id: 'duis.preCommandGbcsVersion',
    title: 'GBCSVersion in a PreCommand',
    value: '4.2',
    choices: ['4.2'],
    description: 'The PreCommand answer to a CV 4 request names GBCSVersion 4.2, as DCC Boxed writes.',
    whereItApplies: 'DUIS XML responses (simulator/domain/duis/xml/duis-response-xml.ts)',
    source: 'DUIS.md §3.1, §12',
    point: '`GBCSVersion` in `PreCommand`',
    overridable: false,
  }),
  setting({
    id: 'duis.futureDatedOutcome',
    title: 'Future-dated outcome over DUIS',
    value: 'FutureDatedDeviceAlertMessage, alert header, instruction 1 of 1',
    choices: ['FutureDatedDeviceAlertMessage, alert header, instruction 1 of 1'],
    description:
      'A future-dated command’s outcome (0x8F66/0x8F67 in 0x00CA for 11.3, 0x00CB for 6.15.1) reaches the User as a ResponseMessage for the SRV carrying FutureDatedDeviceAlertMessage, under the device alert header (no RequestID), InstructionNumber 1 of TotalCommandInstructions 1.',
    whereItApplies: 'DUIS XML responses (simulator/domain/duis/xml/duis-response-xml.ts)',
    source: 'DUIS.md §3.1, §12',
    point: 'FutureDatedDeviceAlertMessage',
    overridable: false,
  }),
  setting({
    id: 'duis.smkiRepository',
    title: 'SMKI repository look-alike',
    value: 'trialsim’s own look-alike of Boxed’s repository',
    choices: ['trialsim’s own look-alike of Boxed’s repository'],
    description:
      'DCC Boxed serves an SMKI repository; trialsim serves certificates from its test PKI in a look-alike whose detail is its own.',
    whereItApplies: 'SMKI repository (harness PKI)',
    source: 'DUIS.md §11',
    overridable: false,
  }),
  setting({
    id: 'gbcs.preCommandSignatureLength',
    title: 'Pre-command signature length byte',
    value: 'emit without',
    choices: ['emit without'],
    description:
      'A Pre-Command is emitted without a trailing `00` signature length; the User signs those bytes and its CV 5 must return them as issued (the domain notes’ default also accepts a Pre-Command ending in `00`; trialsim’s CV 5 compares the bytes exactly).',
    whereItApplies: 'DCC wire and DUIS request XML (simulator/domain/dcc/dcc-wire.ts, duis-request-xml.ts)',
    source: 'GBCS.md §5.6, §11',
    point: 'pre-command ends with a `00` signature length or not',
    overridable: false,
  }),
  setting({
    id: 'gbcs.acbForm',
    title: 'Which use cases use the ACB form',
    value: 'all CHF-addressed use cases, plus CS08',
    choices: ['all CHF-addressed use cases, plus CS08'],
    description:
      'Commands to a comms hub (CCS01, CCS02, CCS06, ECS52 to a CHF) and CS08 are originated by the ACB with the 18-byte other information naming the User and its counter.',
    whereItApplies: 'service catalogue (simulator/domain/services/service-catalogue.ts)',
    source: 'GBCS.md §5.3, §11',
    point: 'which use cases use the ACB form',
    overridable: false,
  }),
  setting({
    id: 'gbcs.cs07HeaderForm',
    title: 'CS07 header form',
    value: 'User-originated',
    choices: ['User-originated'],
    description: 'CS07 (8.9 to a HAN device) is sent User-originated, not in the ACB form.',
    whereItApplies: 'simulator/domain/services/read-device-log.ts',
    source: 'GBCS.md §7.6, §11',
    point: 'CS07 header form',
    overridable: false,
  }),
  setting({
    id: 'gbcs.responseDateTime',
    title: 'Date-time in device responses',
    value: 'as RTDS: ECS17b, CS06 and CS02b carry the device time',
    choices: ['as RTDS: ECS17b, CS06 and CS02b carry the device time'],
    description:
      'Responses to ECS17b, CS06 and CS02b carry the device’s date-time as the RTDS samples do; trialsim’s devices also write it on other responses and alerts so the device’s clock can be checked.',
    whereItApplies: 'device wire (simulator/domain/device/device-wire.ts)',
    source: 'GBCS.md §11',
    point: 'response date-time presence',
    overridable: false,
  }),
  setting({
    id: 'gbcs.invokeId',
    title: 'DLMS invoke-id for large counters',
    value: '20 ‖ counter mod 2^24',
    choices: ['20 ‖ counter mod 2^24'],
    description:
      'The DLMS invoke-id of a command whose originator counter is 2^24 or more is `20` followed by the counter modulo 2^24.',
    whereItApplies: 'DLMS commands in the GBCS codec',
    source: 'GBCS.md §11',
    point: 'invoke-id for counters ≥ 2²⁴',
    overridable: false,
  }),
  setting({
    id: 'gbcs.ecs70ValidityWindow',
    title: 'ECS70 validity window',
    value: '[CurrentDateTime, CurrentDateTime + TolerancePeriod]',
    choices: ['[CurrentDateTime, CurrentDateTime + TolerancePeriod]'],
    description:
      'An ECS70 (8.1.1) command is valid from the current date-time to the current date-time plus the tolerance period.',
    whereItApplies: 'simulator/domain/gbcs/payloads/esme/ecs70.ts',
    source: 'GBCS.md §11',
    point: 'ECS70 validity window',
    overridable: false,
  }),
  setting({
    id: 'gbcs.cs06CancellationTime',
    title: 'CS06 cancellation time',
    value: '99991231235959Z',
    choices: ['99991231235959Z'],
    description:
      'A DUIS cancellation (ExecutionDateTime 3000-12-31T00:00:00Z, as the DUIS 5.4 templates write it) of a future-dated 11.3 or 6.15.1 is sent as the future-dated CS06 or CS02b at 9999-12-31 23:59:59Z.',
    whereItApplies:
      'simulator/domain/duis/xml/duis-cancellation.ts; simulator/domain/gbcs/payloads/asn1/cs06.ts; device firmware and credentials',
    source: 'GBCS.md §7.7, §11',
    point: 'CS06 cancellation time',
    overridable: false,
  }),
  setting({
    id: 'gbcs.cs02bRootReplacement',
    title: 'CS02b Root replacement checks',
    value: 'selfSignedCaCertificate',
    choices: ['selfSignedCaCertificate'],
    description:
      'A CS02b Root replacement (rootBySupplier, rootByWanProvider, anyByContingency) installs the new Root only if it is self-signed, a CA certificate (cA, critical keyCertSign) for the Root DS cell, OU 00 and within its validity while CPV checks apply; no certification path, no signature by the old Root.',
    whereItApplies: 'simulator/domain/device/root-certificate-checks.ts; 6.15.1 Root modes',
    source: 'GBCS.md §7.8, §11',
    point: 'CS02b Root replacement: what the device checks about the new Root',
    overridable: false,
  }),
  setting({
    id: 'gbcs.ccs01Enums',
    title: 'CCS01 enumerated fields',
    value: 'the GBCS device type number; 0',
    choices: ['the GBCS device type number; 0'],
    description:
      'CCS01 (8.11 add) writes the GBCS device type number in its device type enumeration and 0 in the last enumeration, as every example does.',
    whereItApplies: 'simulator/domain/gbcs/payloads/chf/ccs01-ccs02.ts',
    source: 'GBCS.md §11',
    point: 'CCS01 enum fields',
    overridable: false,
  }),
  setting({
    id: 'gbcs.acbFormEncryptionPeer',
    title: 'Encryption peer of an ACB-form encrypted read',
    value: 'the supplementary remote party',
    choices: ['the supplementary remote party'],
    description:
      'A response to an ACB-form command that must be encrypted is encrypted for the supplementary remote party (the User), not for the ACB.',
    whereItApplies: 'device and DCC frames (simulator/domain/dcc/device-frames.ts)',
    source: 'GBCS.md §11',
    point: 'encryption peer for ACB-form encrypted reads',
    overridable: false,
  }),
  setting({
    id: 'gbcs.ecs17bRegisters',
    title: 'ECS17b register meaning',
    value: 'the RTDS structure, copied',
    choices: ['the RTDS structure, copied'],
    description:
      'Which register of an ECS17b response is which is not given; trialsim reproduces the RTDS structure.',
    whereItApplies: 'simulator/domain/services/read-import-registers.ts',
    source: 'GBCS.md §7.2, §11',
    point: 'ECS17b register meaning',
    overridable: false,
  }),
  setting({
    id: 'gbcs.unsupported',
    title: 'GBCS parts not modelled',
    value: 'GBT, routing, GBZ, CBKE and HAN not supported',
    choices: ['GBT, routing, GBZ, CBKE and HAN not supported'],
    description:
      'GBT segmentation, routing, GBZ compression, CBKE key establishment and the HAN itself are not modelled; the evidence says so.',
    whereItApplies: 'GBCS codec; evidence limitations',
    source: 'GBCS.md §11',
    point: 'GBT, routing, GBZ, CBKE, HAN',
    overridable: false,
  }),
  setting({
    id: 'gbcs.referenceVectors',
    title: 'RTDS 4.5.0 against GBCS 4.3',
    value: 'RTDS 4.5.0 bytes are the reference',
    choices: ['RTDS 4.5.0 bytes are the reference'],
    description:
      'Where the RTDS 4.5.0 samples and GBCS 4.3 (DUIS 5.4) could differ, the RTDS bytes are what the codec is tested against.',
    whereItApplies: 'the GBCS codec’s tests against the RTDS samples',
    source: 'GBCS.md §10, §11',
    point: 'RTDS 4.5.0 against GBCS 4.3 (DUIS 5.4)',
    overridable: false,
  }),
  setting({
    id: 'gbcs.macAadPrefix',
    title: 'Additional authenticated data of a GBCS MAC',
    value: '11 00 00 00 00 00 ‖ the general-signing APDU',
    choices: ['11 00 00 00 00 00 ‖ the general-signing APDU'],
    description:
      'The AAD of the GCM MAC is `11 00 00 00 00 00` followed by the whole general-signing APDU; why the prefix is six bytes is not given, but it reproduces every RTDS MAC.',
    whereItApplies: 'GBCS protection (simulator/domain/gbcs/protection/gbcs-mac.ts)',
    source: 'GBCS.md §5.2',
    overridable: false,
  }),
  setting({
    id: 'firmware.imageFormat',
    title: 'Firmware image content',
    value: 'trialsim’s image format (header, body, manufacturer signature)',
    choices: ['trialsim’s image format (header, body, manufacturer signature)'],
    description:
      'The manufacturer image content, the hardware version encoding and the force-replace rules of the OTA file are not given; trialsim uses its own image format, whose header names the manufacturer, image type, firmware version and hardware versions.',
    whereItApplies: 'firmware images: how trialsim builds them and how its devices verify them',
    source: 'GBCS.md §9',
    overridable: false,
  }),
]);

const BY_ID = new Map(POLICY_SETTINGS.map((s) => [s.id, s]));

export function policySetting(id: string): PolicySetting | undefined {
  return BY_ID.get(id);
}

/** The values in force for a run: every setting's default, with the run's overrides applied. */
export type PolicyValues = Readonly<Record<string, PolicyValue>>;

export const DEFAULT_POLICY_VALUES: PolicyValues = Object.freeze(
  Object.fromEntries(POLICY_SETTINGS.map((s) => [s.id, s.value])),
);

export class PolicyOverrideError extends RangeError {}

/**
 * Applies a run's overrides. An unknown id, a setting that is not overridable, or a value of the
 * wrong kind is an error naming the setting and what it accepts: a typo must not silently run
 * the default.
 */
export function overridePolicy(overrides: Readonly<Record<string, unknown>>): PolicyValues {
  const values: Record<string, PolicyValue> = { ...DEFAULT_POLICY_VALUES };
  for (const [id, value] of Object.entries(overrides)) {
    const known = BY_ID.get(id);
    if (known === undefined) {
      throw new PolicyOverrideError(
        `unknown policy setting "${id}" (settings: ${POLICY_SETTINGS.filter((s) => s.overridable)
          .map((s) => s.id)
          .join(', ')})`,
      );
    }
    if (!known.overridable) {
      throw new PolicyOverrideError(
        `policy setting "${id}" is fixed at ${String(known.value)} in this version`,
      );
    }
    const ok =
      known.choices !== undefined
        ? known.choices.includes(value as PolicyValue)
        : typeof value === typeof known.value &&
          (typeof value !== 'number' || (Number.isInteger(value) && value > 0));
    if (!ok) {
      throw new PolicyOverrideError(
        `policy setting "${id}": ${JSON.stringify(value)} is not allowed (${
          known.choices === undefined ? `a whole number > 0` : `one of ${known.choices.join(', ')}`
        })`,
      );
    }
    values[id] = value as PolicyValue;
  }
  return Object.freeze(values);
}

/** The settings a run changed from their defaults, for the evidence. */
export function policyDifferences(
  values: PolicyValues,
): { id: string; value: PolicyValue; default: PolicyValue }[] {
  return POLICY_SETTINGS.filter((s) => values[s.id] !== undefined && values[s.id] !== s.value).map((s) => ({
    id: s.id,
    value: values[s.id] as PolicyValue,
    default: s.value,
  }));
}
