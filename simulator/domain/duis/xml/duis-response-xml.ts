import type { DccAlert, ServiceResponse } from '../../messages/duis-messages.js';
import { RESPONSE_CODES, type ResponseCode } from '../response-codes.js';
import { DCC_ALERT_CODES } from './dcc-alert-codes.js';
import { serviceReferenceOf } from './duis-request-xml.js';
import {
  child,
  childElements,
  childText,
  type DomDocument,
  DuisXmlError,
  requiredChild,
  requiredText,
  SR_NS,
  sr,
  srRoot,
  UNKNOWN_MPXN,
} from './duis-xml.js';

/** Boxed writes `4.2` in a PreCommand's GBCSVersion (DUIS.md §12). */
export const GBCS_VERSION_WRITTEN = '4.2';

/** How a response travels: the synchronous HTTP answer, or posted later to the User's callback. */
export interface ResponseFraming {
  readonly now: number;
  /**
   * An asynchronous device response carries a ResponseID (`device:user:counter`, DUIS.md §3.1
   * shape 4); acknowledgements, refusals and non-device answers carry the RequestID only.
   */
  readonly withResponseId: boolean;
  /** The device's response bytes (GBCSPayload) for an asynchronous device response. */
  readonly gbcsPayload?: Uint8Array;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const dateTime = (ms: number) => new Date(ms).toISOString();
const str = (v: unknown): string | undefined =>
  v === undefined || v === null || v === '' ? undefined : String(v);

function dspInventory(body: Record<string, unknown>): string {
  return sr('DSPInventory', [
    sr('Device', [
      sr('DeviceID', str(body.deviceId)),
      sr('DeviceType', str(body.deviceType)),
      sr('DeviceStatus', str(body.status)),
      sr('DeviceManufacturer', str(body.manufacturer)),
      sr('DeviceModel', str(body.model)),
      sr('DeviceFirmwareVersion', str(body.firmwareVersion)),
      sr('DeviceFirmwareVersionStatus', str(body.DeviceFirmwareVersionStatus)),
      sr('CPLStatus', str(body.CPLStatus)),
    ]),
  ]);
}

function list(values: unknown): string | undefined {
  return Array.isArray(values) && values.length > 0 ? values.join(',') : undefined;
}

/** 11.1's screening (firmware-distribution.ts) as DUIS's warning lists (DUIS.md §5.2). */
function updateFirmwareWarning(body: Record<string, unknown>): string | undefined {
  const w = (body.warnings ?? {}) as Record<string, unknown>;
  const lists = [
    sr(
      'InvalidDeviceIDList',
      list([...((w.invalidDeviceIds as unknown[]) ?? []), ...((w.notAuthorised as unknown[]) ?? [])]),
    ),
    sr('NotCommissionedDeviceIDList', list(w.notCommissioned)),
    sr(
      'NotApplicableFirmwareDeviceIDList',
      list([
        ...((w.firmwareNotApplicable as unknown[]) ?? []),
        ...((w.noSecurityCredentials as unknown[]) ?? []),
      ]),
    ),
  ].filter((x) => x !== '');
  return lists.length === 0 ? undefined : sr('DSPUpdateFirmwareWarning', lists);
}

function responseContent(response: ServiceResponse, framing: ResponseFraming): string | undefined {
  if (response.preCommand !== undefined)
    return sr('PreCommand', [
      sr('GBCSVersion', GBCS_VERSION_WRITTEN),
      sr('GBCSPayload', b64(response.preCommand)),
    ]);
  if (framing.gbcsPayload !== undefined) return sr('GBCSPayload', b64(framing.gbcsPayload));
  if (response.responseCode !== 'I0' || response.body === undefined) return undefined;
  if (response.serviceReferenceVariant === '8.2') return dspInventory(response.body);
  if (response.serviceReferenceVariant === '11.1') return updateFirmwareWarning(response.body);
  return undefined;
}

/** A trialsim response as a DUIS 5.4 `Response` (DUIS.md §3.1), unsigned and whitespace-free. */
export function encodeDuisResponse(response: ServiceResponse, framing: ResponseFraming): string {
  const srv = response.serviceReferenceVariant;
  return srRoot('Response', [
    sr('Header', [
      sr('RequestID', response.requestId === '' ? undefined : response.requestId),
      sr('ResponseID', framing.withResponseId ? response.responseId : undefined),
      sr('ResponseCode', response.responseCode),
      sr('ResponseDateTime', dateTime(framing.now)),
    ]),
    sr('Body', [
      sr('ResponseMessage', [
        sr('ServiceReference', serviceReferenceOf(srv)),
        sr('ServiceReferenceVariant', srv),
        responseContent(response, framing),
      ]),
    ]),
  ]);
}

/** Certificates the DCC's SMKI holds for a party, for SecurityCredentialsUpdated's hashes. */
export type CertificateHashes = (eui: string) => { readonly ds: string; readonly ka: string } | undefined;

function dccAlertContent(alert: DccAlert, hashes: CertificateHashes): string {
  const d = alert.details ?? {};
  const status = (inner: string) =>
    sr('DeviceStatusChangeEvent', [sr('DeviceID', alert.deviceId), sr('DeviceStatusChange', [inner])]);
  switch (alert.alert) {
    case 'DeviceSuspended':
    case 'DeviceRestored':
      return status(sr(alert.alert, []));
    case 'DeviceRemovedFromInventory':
      return status(sr('DeviceRemovedFromInventory', []));
    case 'MeterDecommissioningOrWithdrawal':
      // DUIS requires the meter's MPxN; trialsim's SMI keeps none, so the one the alert's details
      // name (none today) or the stand-in UNKNOWN_MPXN (DUIS.md §4.1: fields trialsim does not model).
      return status(
        sr('MeterDecommissioningOrWithdrawal', [
          sr('MeterDecommissionOrWithdrawal', [sr('ImportMPxN', str(d.importMPxN) ?? UNKNOWN_MPXN)]),
        ]),
      );
    case 'FirmwareVersionMismatch':
      return sr('FirmwareVersionMismatch', [
        sr('DeviceID', alert.deviceId),
        sr('DeviceType', str(d.deviceType) ?? 'ESME'),
        sr('FirmwareVersionSMI', str(d.smiVersion)),
        sr('FirmwareVersionDevice', str(d.deviceVersion)),
      ]);
    case 'FirmwareDistributionFailure':
      return sr('FirmwareDistributionFailure', [
        sr('UpdateFirmwareRequestID', str(d.requestId)),
        sr('MeterIDs', alert.deviceId),
      ]);
    case 'ChangeOfSupplier':
      return sr('ChangeOfSupplier', [sr('ChangeOfSupplierServiceRequestID', str(d.requestId))]);
    case 'SecurityCredentialsUpdated': {
      const gaining = hashes(String(d.gainingSupplier ?? ''));
      return sr('SecurityCredentialsUpdated', [
        sr('DeviceID', alert.deviceId),
        sr('RemotePartyRole', 'Supplier'),
        d.floorSequenceNumber === undefined
          ? undefined
          : sr('RemotePartySeqNumberChange', [sr('RemotePartyFloorSeqNumber', str(d.floorSequenceNumber))]),
        sr('Certificates', [sr('CertificateType', 'DigitalSigning'), sr('CertificateHash', gaining?.ds)]),
        sr('Certificates', [sr('CertificateType', 'KeyAgreement'), sr('CertificateHash', gaining?.ka)]),
      ]);
    }
    case 'DeviceAlert':
      throw new DuisXmlError('a device alert is a DeviceAlertMessage, not a DCCAlert');
  }
}

/** The header of an alert (DUIS.md §12 default): ResponseID `source:user:counter`, no RequestID. */
export interface AlertFraming {
  readonly now: number;
  readonly responseId: string;
  /** DeviceAlertMessage: the device's whole alert as it sent it (GBCSPayload). */
  readonly gbcsPayload?: Uint8Array;
  readonly certificateHashes?: CertificateHashes;
  /**
   * A future-dated command's outcome (0x8F66/0x8F67 in 0x00CA or 0x00CB): the SRV it answers.
   * Set, the alert is a ResponseMessage carrying FutureDatedDeviceAlertMessage (DUIS.md §3.1
   * shape 5), not a DeviceAlertMessage.
   */
  readonly futureDatedSrv?: string;
}

/** The future-dated outcome codes FutureDatedAlertCode allows (DUIS 5.4 XSD). */
export const FUTURE_DATED_ALERT_CODES: readonly string[] = ['8F66', '8F67'];

/**
 * FutureDatedDeviceAlertMessage {FutureDatedAlertCode, GBCSPayload, InstructionNumber,
 * TotalCommandInstructions} in a ResponseMessage naming the SRV. Each SR trialsim models is one
 * command instruction, so the instruction is 1 of 1.
 */
function futureDatedMessage(srv: string, code: string, payload: Uint8Array): string {
  return sr('ResponseMessage', [
    sr('ServiceReference', serviceReferenceOf(srv)),
    sr('ServiceReferenceVariant', srv),
    sr('FutureDatedDeviceAlertMessage', [
      sr('FutureDatedAlertCode', code),
      sr('GBCSPayload', b64(payload)),
      sr('InstructionNumber', '1'),
      sr('TotalCommandInstructions', '1'),
    ]),
  ]);
}

/** A trialsim DCC alert as a DUIS `Response` carrying a DeviceAlertMessage or a DCCAlertMessage. */
export function encodeDuisAlert(alert: DccAlert, framing: AlertFraming): string {
  let message: string;
  const code = (alert.alertCode ?? '').replace(/^0x/i, '').toUpperCase();
  if (alert.alert === 'DeviceAlert' && framing.futureDatedSrv !== undefined) {
    if (!FUTURE_DATED_ALERT_CODES.includes(code))
      throw new DuisXmlError(`a future-dated outcome is 8F66 or 8F67, not ${code}`);
    message = futureDatedMessage(framing.futureDatedSrv, code, framing.gbcsPayload ?? new Uint8Array());
  } else if (alert.alert === 'DeviceAlert') {
    message = sr('DeviceAlertMessage', [
      sr('AlertCode', code),
      sr('GBCSPayload', b64(framing.gbcsPayload ?? new Uint8Array())),
    ]);
  } else {
    message = sr('DCCAlertMessage', [
      sr('DCCAlertCode', DCC_ALERT_CODES[alert.alert]),
      sr('DCCAlert', [dccAlertContent(alert, framing.certificateHashes ?? (() => undefined))]),
    ]);
  }
  return srRoot('Response', [
    sr('Header', [
      sr('ResponseID', framing.responseId),
      sr('ResponseCode', 'I0'),
      sr('ResponseDateTime', dateTime(framing.now)),
    ]),
    sr('Body', [message]),
  ]);
}

/** What a DUIS client reads back from a `Response`: a service response or an alert. */
export type DecodedDuisResponse =
  | {
      readonly kind: 'response';
      readonly requestId: string | undefined;
      readonly responseId: string | undefined;
      readonly responseCode: ResponseCode | string;
      readonly responseDateTime: string;
      readonly serviceReferenceVariant: string;
      readonly preCommand?: Uint8Array;
      /** The device's response, or for a FutureDatedDeviceAlertMessage the device's alert. */
      readonly gbcsPayload?: Uint8Array;
      /** The name of the ResponseMessage's content element (DSPInventory, …), if any. */
      readonly content?: string;
      /** FutureDatedDeviceAlertMessage's FutureDatedAlertCode, `0x8F66` or `0x8F67`. */
      readonly futureDatedAlertCode?: string;
    }
  | {
      readonly kind: 'deviceAlert';
      readonly responseId: string | undefined;
      readonly responseDateTime: string;
      readonly alertCode: string;
      readonly gbcsPayload: Uint8Array;
    }
  | {
      readonly kind: 'dccAlert';
      readonly responseId: string | undefined;
      readonly responseDateTime: string;
      readonly dccAlertCode: string;
      /** The DCCAlert choice element and, for a status change, which change. */
      readonly alert: string;
      readonly deviceId: string | undefined;
    };

const bytes = (text: string) => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'base64'));

/** Reads a DUIS `Response` (already XSD-valid). */
export function decodeDuisResponse(doc: DomDocument): DecodedDuisResponse {
  const root = doc.documentElement;
  if (root === null || root.namespaceURI !== SR_NS || root.localName !== 'Response')
    throw new DuisXmlError(`the root element must be sr:Response, not ${root?.nodeName ?? 'nothing'}`);
  const header = requiredChild(root, 'Header');
  const responseId = childText(header, 'ResponseID');
  const responseDateTime = requiredText(header, 'ResponseDateTime');
  const message = childElements(requiredChild(root, 'Body'))[0];
  if (message === undefined) throw new DuisXmlError('the Response has an empty Body');
  if (message.localName === 'DeviceAlertMessage') {
    return {
      kind: 'deviceAlert',
      responseId,
      responseDateTime,
      alertCode: `0x${requiredText(message, 'AlertCode').toUpperCase()}`,
      gbcsPayload: bytes(requiredText(message, 'GBCSPayload')),
    };
  }
  if (message.localName === 'DCCAlertMessage') {
    const content = childElements(requiredChild(message, 'DCCAlert'))[0];
    const change = content === undefined ? undefined : child(content, 'DeviceStatusChange');
    return {
      kind: 'dccAlert',
      responseId,
      responseDateTime,
      dccAlertCode: requiredText(message, 'DCCAlertCode'),
      alert: (change === undefined ? content : childElements(change)[0])?.localName ?? '',
      deviceId: content === undefined ? undefined : childText(content, 'DeviceID'),
    };
  }
  if (message.localName !== 'ResponseMessage')
    throw new DuisXmlError(`trialsim reads no ${message.localName} (SMETS1 responses are not used)`);
  const code = requiredText(header, 'ResponseCode');
  const inner = childElements(message)[2];
  const preCommand =
    inner?.localName === 'PreCommand' ? bytes(requiredText(inner, 'GBCSPayload')) : undefined;
  const futureDated = inner?.localName === 'FutureDatedDeviceAlertMessage' ? inner : undefined;
  const gbcsPayload =
    inner?.localName === 'GBCSPayload'
      ? bytes(inner.textContent ?? '')
      : futureDated === undefined
        ? undefined
        : bytes(requiredText(futureDated, 'GBCSPayload'));
  return {
    kind: 'response',
    requestId: childText(header, 'RequestID'),
    responseId,
    responseCode: code,
    responseDateTime,
    serviceReferenceVariant: requiredText(message, 'ServiceReferenceVariant'),
    ...(preCommand === undefined ? {} : { preCommand }),
    ...(gbcsPayload === undefined ? {} : { gbcsPayload }),
    ...(inner === undefined ? {} : { content: inner.localName }),
    ...(futureDated === undefined
      ? {}
      : { futureDatedAlertCode: `0x${requiredText(futureDated, 'FutureDatedAlertCode').toUpperCase()}` }),
  };
}

export function isResponseCode(code: string): code is ResponseCode {
  return (RESPONSE_CODES as string[]).includes(code);
}
