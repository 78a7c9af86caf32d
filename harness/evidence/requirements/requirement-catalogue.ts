/**
 * The requirements trialsim's scenarios give evidence for: each id a scenario step cites with
 * `requirement:`, what it requires in the project's words, and the item of the rules it evidences.
 *
 * Where an item is named it is the public document a reviewer has: the Smart Energy Code (SEC)
 * and its DCC User Interface Specification (DUIS, by Service Reference Variant), the Great
 * Britain Companion Specification (GBCS, by use case or alert code), and the Security
 * Sub-Committee's formal position on trialling devices without CPA certification (the trial
 * modification: application, limits, end of trial, supplier sponsorship and churn, reporting).
 */
export type RequirementSource = 'SEC' | 'DUIS' | 'GBCS' | 'SSC formal position';

export interface RequirementReference {
  readonly source: RequirementSource;
  readonly item: string;
}

export interface CatalogueRequirement {
  readonly id: string;
  readonly text: string;
  readonly evidences: readonly RequirementReference[];
}

const ssc = (item: string): RequirementReference => ({ source: 'SSC formal position', item });
const sec = (item: string): RequirementReference => ({ source: 'SEC', item });
const duis = (item: string): RequirementReference => ({ source: 'DUIS', item });
const gbcs = (item: string): RequirementReference => ({ source: 'GBCS', item });

export const REQUIREMENT_CATALOGUE: readonly CatalogueRequirement[] = Object.freeze([
  // Commissioning through the DCC
  {
    id: 'EV-COMMISSION-PRENOTIFY',
    text: 'The Supplier pre-notifies the trial device to the DCC, which adds it to the Smart Metering Inventory as Pending, because its Device Model is on the CPL.',
    evidences: [
      duis('SRV 12.2 Device Pre-notification'),
      sec('Central Products List: only listed Device Models enter the SMI'),
    ],
  },
  {
    id: 'EV-COMMISSION-WHITELIST',
    text: "The device is added to the comms hub's device log (whitelist) through the DCC and joins the HAN.",
    evidences: [duis('SRV 8.11 Update HAN Device Log'), gbcs('CCS01 Add Device to CHF Device Log')],
  },
  {
    id: 'EV-COMMISSION-SMI',
    text: 'The Supplier sets the device InstalledNotCommissioned in the SMI.',
    evidences: [duis('SRV 8.4 Update Inventory')],
  },
  {
    id: 'EV-COMMISSION-COMMISSION',
    text: 'The trial device is commissioned through the DCC and becomes Commissioned in the SMI, with Supplier and Network Operator credentials installed.',
    evidences: [
      duis('SRV 8.1.1 Commission Device'),
      gbcs('ECS70 Set Clock (critical command)'),
      ssc('all other SEC obligations still apply: Supplier and Network Operator SMKI certificates installed'),
    ],
  },
  {
    id: 'EV-FLEET-100',
    text: 'A trial of the full permitted size (100 devices) is commissioned and run through the DCC.',
    evidences: [ssc('trial limit: devices per trial (100 by default)')],
  },
  // Normal operation
  {
    id: 'EV-OPERATION-READ',
    text: 'The Supplier and the Network Operator read the trial device through the DCC (registers, firmware version).',
    evidences: [
      duis('SRV 4.1.1 Read Instantaneous Import Registers'),
      duis('SRV 11.2 Read Firmware Version'),
      gbcs('ECS17b, ECS52'),
    ],
  },
  {
    id: 'EV-OPERATION-LOGS',
    text: "The device's event and security logs are read through the DCC and show what happened.",
    evidences: [
      duis('SRV 6.13 Read Event or Security Log'),
      gbcs('ECS35a / ECS35b Read Event / Security Log'),
    ],
  },
  // Trial limits
  {
    id: 'EV-LIMIT-CAP',
    text: "Commissioning a device beyond the trial's maximum number of devices is refused by the DCC.",
    evidences: [ssc('trial limit: devices per trial is a hard limit enforced by the DCC')],
  },
  {
    id: 'EV-LIMIT-WINDOW',
    text: "Commissioning a trial device before the trial's start or after its end date is refused by the DCC.",
    evidences: [ssc('trial limit: duration (18 months by default) is a hard limit')],
  },
  {
    id: 'EV-LIMIT-ELIGIBILITY',
    text: 'The SSC approves a trial only for a manufacturer meeting the eligibility rule in force (any certified product, a certified product of the same device type, or none).',
    evidences: [ssc('eligibility of manufacturers for a trial')],
  },
  // Change of Supplier
  {
    id: 'EV-COS-CREDENTIALS',
    text: "At Change of Supplier the DCC's CoS party replaces the Supplier credentials on the device for the gaining Supplier.",
    evidences: [
      duis('SRV 6.23 Update Security Credentials (CoS)'),
      gbcs('CS02b Update Security Credentials, supplierByTransCoS'),
    ],
  },
  {
    id: 'EV-COS-ALERTS',
    text: 'The DCC tells the Suppliers of the Change of Supplier and of the credential update.',
    evidences: [
      duis('DCC alerts ChangeOfSupplier and SecurityCredentialsUpdated'),
      gbcs('alert 0x8F70 Update Security Credentials'),
    ],
  },
  {
    id: 'EV-COS-LOSING-REFUSED',
    text: 'After Change of Supplier the losing Supplier is refused, by the DCC (E4) and by the device (0x8F3D) for a command it signed.',
    evidences: [
      duis('response code E4'),
      gbcs('alert 0x8F3D Trusted Source Authentication Failure'),
      ssc('the losing Supplier loses all access'),
    ],
  },
  {
    id: 'EV-COS-GAINING-WORKS',
    text: 'After Change of Supplier the gaining Supplier operates the device through the DCC.',
    evidences: [ssc('the gaining Supplier becomes responsible for the device')],
  },
  {
    id: 'EV-COS-OBLIGATIONS',
    text: 'The gaining Supplier takes over the trial obligations: the device stays on its trial and is reported under its new responsible Supplier, including the end-of-trial upgrade or removal.',
    evidences: [
      ssc('Change of Supplier during a trial: the gaining Supplier takes on the end-of-trial obligation'),
    ],
  },
  {
    id: 'EV-COS-REGISTRATION',
    text: "Only the Supplier registered for the device's premises may act for it; registration changes take effect from their date.",
    evidences: [
      duis('response code E4 (not the registered Supplier)'),
      sec('registration data provided to the DCC'),
    ],
  },
  {
    id: 'EV-COS-SOLR',
    text: 'A Supplier of Last Resort event moves trial devices to the appointed Supplier, which then operates them.',
    evidences: [ssc('Change of Supplier during a trial, including Supplier of Last Resort')],
  },
  {
    id: 'EV-COS-CHURN',
    text: 'Under sustained consumer churn every trial device has exactly one responsible Supplier everywhere (DCC, device, SSC report).',
    evidences: [ssc('churn must work although the sponsor picks consumers unlikely to churn')],
  },
  // Firmware (OTA)
  {
    id: 'EV-OTA-DISTRIBUTE',
    text: 'A firmware image is distributed to the trial device through the DCC and received whole.',
    evidences: [duis('SRV 11.1 Update Firmware'), gbcs('CCS08 Firmware Transfer Alert (0x8F8A)')],
  },
  {
    id: 'EV-OTA-ACTIVATE',
    text: 'The Supplier activates the distributed image; the device runs the new firmware and the DCC records its version.',
    evidences: [duis('SRV 11.3 Activate Firmware'), gbcs('CS06 Activate Firmware')],
  },
  {
    id: 'EV-OTA-END-OF-TRIAL',
    text: 'A trial device upgraded to CPA-certified firmware of its hardware variant is no longer a trial device and no longer excluded from OPR.',
    evidences: [ssc('end of trial: upgrade over the air to a fully CPA-certified Device Model')],
  },
  {
    id: 'EV-OTA-FUTURE-DATED',
    text: 'A future-dated activation is held by the device and carried out at its date, and the Supplier is told the outcome.',
    evidences: [
      duis('SRV 11.3 with an execution date-time'),
      gbcs('alerts 0x8F66 / 0x8F67 future-dated command (not) actioned'),
    ],
  },
  {
    id: 'EV-OTA-POWER-LOSS',
    text: 'A power loss during activation leaves the device running either the old or the new firmware, never a mixture, and the DCC reconciles the version.',
    evidences: [
      duis('SRV 11.2 Read Firmware Version (reconciliation)'),
      gbcs('alert 0x8F43 change in executing firmware version'),
    ],
  },
  {
    id: 'EV-OTA-IMAGE-SIGNATURE',
    text: 'An image whose manufacturer signature does not verify is discarded by the device, and the Supplier hears of the failure.',
    evidences: [gbcs('firmware image verification; alert 0x8F89 firmware transfer failure')],
  },
  {
    id: 'EV-OTA-HASH-MISMATCH',
    text: 'An activation naming a hash other than that of the image held is refused by the device (hashMismatch).',
    evidences: [gbcs('CS06 Activate Firmware: manufacturer image hash')],
  },
  {
    id: 'EV-OTA-HARDWARE-MISMATCH',
    text: 'An image for another hardware version is not applied (transfer outcome: hardware version mismatch).',
    evidences: [
      duis('SRV 11.1 warnings: firmware not applicable'),
      gbcs('OTA image header: hardware versions'),
    ],
  },
  {
    id: 'EV-OTA-NO-IMAGE',
    text: 'An activation with no image held is refused by the device (noImageHeld).',
    evidences: [gbcs('CS06 Activate Firmware')],
  },
  {
    id: 'EV-OTA-ACTIVATION-FAILURE',
    text: 'Firmware that fails to start is reported as an activation failure and the device keeps running its previous firmware.',
    evidences: [gbcs('CS06 Activate Firmware: activationFailure')],
  },
  {
    id: 'EV-OTA-SCREENING',
    text: 'The DCC screens a firmware distribution: devices not commissioned or for which the image is not applicable are listed in warnings and not sent the image.',
    evidences: [duis('SRV 11.1 Update Firmware: response warning lists')],
  },
  // End of trial
  {
    id: 'EV-EXPIRY',
    text: "When the trial's end date passes the trial ends: its CPL entry is no longer Active.",
    evidences: [ssc('end of trial'), sec('Central Products List entry status')],
  },
  {
    id: 'EV-EXPIRY-SUSPEND',
    text: 'Trial devices still on trial firmware after the end are Suspended in the SMI and refused everything but firmware and decommissioning requests.',
    evidences: [
      ssc('trial devices follow the processes of devices whose CPA certificate has expired'),
      duis('response code E5'),
    ],
  },
  {
    id: 'EV-END-SUSPENDED',
    text: 'At the end of the trial a device that was neither upgraded nor removed is Suspended and its Supplier is alerted (DeviceSuspended).',
    evidences: [
      ssc('end of trial: upgrade or remove, no third way'),
      duis('DCC alert DeviceStatusChangeEvent DeviceSuspended'),
    ],
  },
  {
    id: 'EV-EXPIRY-REMOVAL',
    text: 'A trial device not upgraded is decommissioned and removed from the SMI.',
    evidences: [duis('SRV 8.3 Decommission Device'), ssc('end of trial: physically exchanged or removed')],
  },
  {
    id: 'EV-END-REMOVED',
    text: 'Once every trial device is upgraded or removed the SSC report shows none overdue and the Network Operator no longer lists them.',
    evidences: [ssc('end of trial: upgrade or remove')],
  },
  // Security
  {
    id: 'EV-SECURITY-ACCESS-CONTROL',
    text: 'A party without authority for a request or a device is refused by the DCC or by the device.',
    evidences: [
      duis('response codes E2, E4'),
      gbcs('alert 0x8F30 Source does not have Authority for Command'),
    ],
  },
  {
    id: 'EV-SECURITY-BAD-SIGNATURE',
    text: 'A critical command with a signature that does not verify is rejected by the device.',
    evidences: [gbcs('critical command signature (ECDSA P-256); alert 0x8F1E integrity check failed')],
  },
  {
    id: 'EV-SECURITY-REPLAY',
    text: 'A replayed command (originator counter not above the last accepted) is rejected by the device.',
    evidences: [gbcs('anti-replay: originator counter')],
  },
  {
    id: 'EV-SECURITY-LOGGED',
    text: "Every rejected command is recorded in the device's security log and alerted to the Supplier.",
    evidences: [gbcs('security log and alerts 0x8F3D / 0x8F3E / 0x8F30 / 0x8F1E')],
  },
  // Reporting
  {
    id: 'EV-REPORT-SSC',
    text: "The DCC's report to the SSC lists the trial devices in the field, by trial, status and responsible Supplier, correctly at every point of the trial.",
    evidences: [ssc('the DCC reports to the SSC which trial devices are in the field')],
  },
  {
    id: 'EV-REPORT-OPR',
    text: 'Trial devices are excluded from the Operational Performance Regime (SLA) figures, and counted again once upgraded.',
    evidences: [ssc('trial devices carry a flag that excludes them from SLA/OPR metrics')],
  },
  {
    id: 'EV-REPORT-DNO',
    text: 'Each Network Operator is told which trial devices are on its network.',
    evidences: [ssc('the Network Operator is told which trial devices are on its network')],
  },
  // Conformance of a device under test: commands the harness crafts and hands to the device on its
  // WAN link, so the DCC's own checks play no part and only the device's conduct is tested.
  {
    id: 'DEV-AUTH-MAC',
    text: 'The device executes a non-critical command only when it carries a valid MAC made with the key of the party it names; a missing, altered or wrongly keyed MAC, or one over other bytes, is refused with no response.',
    evidences: [
      gbcs('MAC header (DLMS general-ciphering): command authentication'),
      gbcs('alert 0x8F3D Trusted Source Authentication Failure'),
    ],
  },
  {
    id: 'DEV-AUTH-SIGNATURE',
    text: "The device executes a critical command only when it is signed by the party entitled to sign it; a missing or altered signature, or another known party's, is refused.",
    evidences: [
      gbcs('critical command signature (ECDSA P-256, general-signing)'),
      gbcs('alert 0x8F3D Trusted Source Authentication Failure'),
    ],
  },
  {
    id: 'DEV-AUTH-LOGGED',
    text: 'Every command the device refuses is recorded in its security log.',
    evidences: [
      gbcs('ECS35b Read Security Log'),
      gbcs('security log entries for authentication and authority failures'),
    ],
  },
  {
    id: 'DEV-AUTHORITY-CRITICAL',
    text: 'An authentic critical command from a party whose role may not send it (the Network Operator, ACB, WAN provider or CoS party for a Supplier command) is refused by the device.',
    evidences: [
      gbcs('Remote Party Role authority per command'),
      gbcs('alert 0x8F30 Source does not have Authority for Command'),
    ],
  },
  {
    id: 'DEV-AUTHORITY-CREDENTIALS',
    text: 'The device accepts an Update Security Credentials command only in a mode the sending party may use.',
    evidences: [
      gbcs('CS02b Update Security Credentials: authorising remote party control'),
      gbcs('alert 0x8F30'),
    ],
  },
  {
    id: 'DEV-AUTHORITY-READ',
    text: 'An authentic read from a party with no authority for it (ACB, WAN provider, CoS party, recovery) is refused by the device.',
    evidences: [
      gbcs('Remote Party Role authority per command'),
      gbcs('alert 0x8F30 Source does not have Authority for Command'),
    ],
  },
  {
    id: 'DEV-AUTHORITY-SUPPLIER-ONLY',
    text: 'Commands only the Supplier may send (decommissioning, firmware) are refused from any other party, and a refused command changes nothing on the device.',
    evidences: [
      duis('SRV 8.3 Decommission Device, SRV 11.1 Update Firmware: Supplier only'),
      gbcs('alert 0x8F30'),
    ],
  },
  {
    id: 'DEV-REPLAY',
    text: 'The device refuses a command whose originator counter is not above the last it accepted from that party, critical or not.',
    evidences: [gbcs('anti-replay: originator counter'), gbcs('alert 0x8F3D')],
  },
  {
    id: 'DEV-REPLAY-NO-BURN',
    text: "A command the device refuses (forged or unauthorised) does not move the party's counter, so it cannot lock the genuine party out.",
    evidences: [gbcs('anti-replay: the counter is updated only for an authenticated, authorised command')],
  },
  {
    id: 'DEV-CONDUCT',
    text: "The device's own conduct holds throughout: the counters it uses rise strictly, it answers each command at most once, and it sends nothing unprompted except alerts.",
    evidences: [
      gbcs('device-originated counters and responses'),
      gbcs('alerts are the only unprompted messages'),
    ],
  },
  {
    id: 'DEV-CS02B-GOOD',
    text: "A valid Update Security Credentials replaces the party's keys on the device: the new keys work from the counter floor given, the old ones no longer do, and the replaced Supplier's pending future-dated commands are cancelled.",
    evidences: [
      duis('SRV 6.15.1 Update Security Credentials'),
      gbcs('CS02b Update Security Credentials; alert 0x8F67 future-dated command not actioned'),
    ],
  },
  {
    id: 'DEV-CS02B-FUTURE-DATED',
    text: 'A future-dated Update Security Credentials is held by the device, changes nothing before its date, and is carried out at its date with the outcome reported (0x8F66 in alert 0x00CB).',
    evidences: [duis('SRV 6.15.1 with an execution date-time'), gbcs('CS02b future-dated; alert 0x00CB')],
  },
  {
    id: 'DEV-CS02B-CANCEL-FUTURE-DATED',
    text: 'A cancellation (a CS02b dated 9999-12-31T23:59:59Z) removes the held future-dated credential update of the same mode from the same party, which then never runs.',
    evidences: [gbcs('CS02b Update Security Credentials: cancellation of a future-dated command')],
  },
  {
    id: 'DEV-CS02B-BAD',
    text: 'A credential replacement carrying a key that is not a valid P-256 public key changes nothing, and the party it named keeps working.',
    evidences: [gbcs('CS02b Update Security Credentials: replacement certificate checks')],
  },
  // One requirement per check of a CS02b replacement certificate (simulator/PROTOCOL.md §7.4), so
  // the report says which check a device failed, each proven by its own mutant (MUTANTS.md).
  {
    id: 'DEV-CS02B-CERT-PATH',
    text: "A replacement certificate is trusted only through an Issuing CA certificate of the certification path that is a CA certificate (cA, keyCertSign) and that the Root in the device's Root cell signed: a forger's own Issuing CA of the same name, or a certificate of the Issuing CA's key that may not sign certificates, changes nothing.",
    evidences: [gbcs('CS02b Update Security Credentials: certification path validation up to the Root')],
  },
  {
    id: 'DEV-CS02B-CERT-ISSUER',
    text: 'A replacement certificate is trusted only when its Issuing CA signed it: one that names the Issuing CA as issuer but is signed by another key changes nothing.',
    evidences: [
      gbcs('CS02b Update Security Credentials: the issuer signature of each replacement certificate'),
    ],
  },
  {
    id: 'DEV-CS02B-CERT-KEY-USAGE',
    text: 'A replacement certificate goes only into a cell of its one key usage (digitalSignature or keyAgreement, critical): a KA certificate into a DS cell, or a DS one into a KA cell, changes nothing.',
    evidences: [gbcs('CS02b Update Security Credentials: key usage of the target trust anchor cell')],
  },
  {
    id: 'DEV-CS02B-CERT-ROLE',
    text: "A replacement certificate goes only into cells of the remote party role its subject OU names: a Supplier's certificate into the Network Operator cells changes nothing.",
    evidences: [gbcs('CS02b Update Security Credentials: remote party role of the target trust anchor cell')],
  },
  {
    id: 'DEV-CS02B-CERT-VALIDITY',
    text: "While time-based CPV checks apply, a replacement certificate outside its validity period at the device's time, or one whose Issuing CA's certificate is outside its own, changes nothing.",
    evidences: [
      duis('SRV 6.15.1 ApplyTimeBasedCPVChecks'),
      gbcs('CS02b Update Security Credentials: time-based certification path validation'),
    ],
  },
  {
    id: 'DEV-CS02B-ROOT',
    text: "A new Root goes into the device's Root cell only by a Root replacement mode's own party, and only as a self-signed CA certificate (cA, keyCertSign, OU 00); from then on the device validates certificates against the new Root, not the old one.",
    evidences: [
      gbcs('CS02b Update Security Credentials: rootBySupplier, rootByWanProvider; Root certificate'),
    ],
  },
  {
    id: 'DEV-CS02B-MODE',
    text: "A party may not replace another party's credentials through that party's mode: nothing is replaced.",
    evidences: [gbcs('CS02b Update Security Credentials: authorising remote party control')],
  },
  {
    id: 'DEV-COUNTER-FLOOR',
    text: 'After a credential replacement the new party is refused below the counter floor the replacement set, and accepted from it.',
    evidences: [gbcs('CS02b Update Security Credentials: originator counter floor')],
  },
  {
    id: 'DEV-FW-CANCELLATION',
    text: "When the Supplier's credentials are replaced, a future-dated activation it left on the device is cancelled and the Supplier told.",
    evidences: [gbcs('CS02b; alert 0x8F67 future-dated command not actioned')],
  },
  {
    id: 'DEV-FW-CANCEL-FUTURE-DATED',
    text: 'A cancellation (an 11.3 dated 9999-12-31T23:59:59Z) removes the stored future-dated activation of the image it names, which then never runs.',
    evidences: [gbcs('CS06 Activate Firmware: cancellation of a future-dated command')],
  },
  {
    id: 'DEV-FW-TRANSFER',
    text: 'The device holds a genuine firmware image for its hardware, ready for activation.',
    evidences: [duis('SRV 11.1 Update Firmware'), gbcs('OTA upgrade image; CCS08 Firmware Transfer Alert')],
  },
  {
    id: 'DEV-FW-SIGNATURE',
    text: 'The device refuses a firmware image whose manufacturer signature does not verify, and holds nothing to activate.',
    evidences: [gbcs('OTA upgrade image: manufacturer signature')],
  },
  {
    id: 'DEV-FW-HARDWARE',
    text: 'The device refuses a firmware image made for another hardware version, and does not activate it.',
    evidences: [gbcs('OTA upgrade image header: hardware versions')],
  },
  {
    id: 'DEV-FW-HASH',
    text: 'The device refuses an activation naming the hash of an image other than the one it holds.',
    evidences: [duis('SRV 11.3 Activate Firmware'), gbcs('CS06 Activate Firmware: manufacturer image hash')],
  },
  {
    id: 'DEV-FW-FUTURE-DATED',
    text: 'A future-dated activation is stored by the device, not run early, and carried out at its date.',
    evidences: [duis('SRV 11.3 with an execution date-time'), gbcs('CS06 future-dated; alert 0x8F66')],
  },
  {
    id: 'DEV-RECIPIENT',
    text: 'The device refuses a command addressed to another device, signed or MACed.',
    evidences: [gbcs('message header: business target ID must be the device')],
  },
  {
    id: 'DEV-ORIGINATOR',
    text: 'The device refuses a command whose header names an originator it holds no credentials for.',
    evidences: [gbcs('message header: business originator ID must be a party known to the device')],
  },
  {
    id: 'DEV-MALFORMED',
    text: 'The device refuses bytes it cannot read (a truncated command, no payload, a response sent as a command) as an integrity failure, and keeps working.',
    evidences: [gbcs('message structure; alert 0x8F3D')],
  },
  {
    id: 'DEV-DECOMMISSIONED',
    text: 'A decommissioned device is inert: it refuses reads and signed commands alike.',
    evidences: [duis('SRV 8.3 Decommission Device'), gbcs('device lifecycle: decommissioned')],
  },
  {
    id: 'DEV-TIME',
    text: "The device's clock follows the network's time and never runs back: a command dated in the past is answered and leaves the clock where it is.",
    evidences: [gbcs('ECS70 Set Clock; device time and command date-times')],
  },
]);

const BY_ID = new Map(REQUIREMENT_CATALOGUE.map((r) => [r.id, r]));

export function catalogueRequirement(id: string): CatalogueRequirement | undefined {
  return BY_ID.get(id);
}

export function referenceText(ref: RequirementReference): string {
  return `${ref.source}: ${ref.item}`;
}
