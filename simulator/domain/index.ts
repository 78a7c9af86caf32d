/**
 * The simulator's pure domain core.
 *
 * The public entry: harness/ imports this layer only through this file (the layer rule in
 * biome.json; docs/architecture.md). It exports what the harness uses; files inside
 * simulator/ import each other directly. A harness file that needs more adds it here.
 */
export { type ChurnEvent, MONTH_MS, planChurn } from './churn/churn-generator.js';
export type { SolrAppointment } from './churn/supplier-of-last-resort.js';
export { CPL_STATUSES, type CplEntry, findCplEntry, isTrialReference } from './cpl/cpl-entry.js';
export { DccCore } from './dcc/dcc-core.js';
export { type DccState, newDccState } from './dcc/dcc-state.js';
export type { DccView } from './dcc/dcc-view.js';
export { registeredParty } from './dcc/registered-parties.js';
export { addCplEntry, type TrialApproval } from './dcc/trial-administration.js';
export { REPLACEMENT_MODES } from './device/credential-replacement.js';
export { DEVICE_DEFECTS, type DeviceDefect, isDeviceDefect } from './device/device-defects.js';
export { DEFAULT_DEVICE_PROFILE, type DeviceProfile } from './device/device-firmware-state.js';
export { DEVICE_REJECTIONS } from './device/device-machine.js';
export { appendLog, type DeviceState, newDeviceState } from './device/device-state.js';
export { DEVICE_TYPES, type DeviceType, isType2 } from './device/device-types.js';
export { cellFor, type TrustAnchorCell } from './device/trust-anchors.js';
export { formatRequestId, parseRequestId } from './duis/request-id.js';
export { RESPONSE_CODES, type ResponseCode } from './duis/response-codes.js';
export { lookupSrv, SRV_CATALOGUE } from './duis/srv-catalogue.js';
export type { UserRole } from './duis/user-roles.js';
export { encodeDuisRequest, readRequestHeader, serviceReferenceOf } from './duis/xml/duis-request-xml.js';
export { DuisXmlError, parseXml } from './duis/xml/duis-xml.js';
export { type Eui, isEui, parseEui } from './eui.js';
export {
  FIRMWARE_MAX_IMAGE_BYTES,
  type FirmwareHeader,
  firmwareImageHash,
  parseFirmwareImage,
  toHex,
} from './firmware/firmware-image.js';
export { buildSignedImage, NO_BOOT_MARKER } from './firmware/firmware-signing.js';
export { dlmsDateTimeFromDate, dlmsDateTimeToDate } from './gbcs/apdu/dlms-date-time.js';
export { GbcsDecodeError } from './gbcs/apdu/gbcs-codec-error.js';
export { decodeGbcsMessage, type GbcsMessage } from './gbcs/apdu/gbcs-message.js';
export {
  encodeGeneralSigning,
  type GeneralSigningApdu,
  SIGNATURE_EMPTY,
} from './gbcs/apdu/general-signing.js';
export { encodeMacHeader } from './gbcs/apdu/mac-header.js';
export { messageCodeOnly } from './gbcs/apdu/other-information.js';
export { formatInspection, inspectGbcsMessage } from './gbcs/inspect/inspect-message.js';
export { buildKeyStore, type GbcsKeyStore } from './gbcs/keystore/gbcs-keystore.js';
export { ecdhSharedSecret } from './gbcs/protection/ecdh-shared-secret.js';
export { computeGbcsMac } from './gbcs/protection/gbcs-mac.js';
export { preCommandSignature, signGeneralSigning } from './gbcs/protection/gbcs-signature.js';
export { SharedSecretCache } from './gbcs/protection/shared-secret-cache.js';
export { formatMessageCode, useCaseByCode } from './gbcs/use-cases/use-case-catalogue.js';
export { isPrivateMessageCode, srvForMessageCode } from './gbcs/wire/trialsim-profile.js';
export { bytesSchema } from './messages/bytes-schema.js';
export { DCC_ALERT_NAMES, type ServiceResponse } from './messages/duis-messages.js';
export type { GbcsFrame } from './messages/gbcs-messages.js';
export {
  overridePolicy,
  POLICY_SETTINGS,
  PolicyOverrideError,
  type PolicyValue,
  type PolicyValues,
} from './policy/policy-settings.js';
export { type RegisteredRole, register } from './registration/registration.js';
export { type DnoNotification, dnoNotification } from './reports/dno-notification.js';
export { type OprFigures, type OprReport, oprReport } from './reports/opr-report.js';
export { type SscTrialReport, sscTrialReport } from './reports/ssc-trial-report.js';
export {
  isRelayedEcs17b,
  type OpenedEcs17b,
  openRelayedEcs17b,
} from './services/content/ecs17b-requester.js';
export {
  readAlertContent,
  readCommandContent,
  readResponseContent,
  writeCommandContent,
} from './services/content/wire-content.js';
export { commandMessageCode, deviceExecution } from './services/service-catalogue.js';
export type { SmiRecord } from './smi/smi-record.js';
export { SMI_STATUSES } from './smi/smi-status.js';
export { p256Spki } from './smki/key-encoding.js';
export { deriveKeyPair, type KeyPair, signDeterministic, verifySignature } from './smki/key-pair.js';
export { REMOTE_PARTY_ROLE_CODES, type RemotePartyRole } from './smki/remote-party-roles.js';
export { ELIGIBILITY_MODES, type TrialPolicy, trialPolicyFrom } from './trial/trial.js';
