import { executionTimeFromDuis, executionTimeToDuis } from './duis-cancellation.js';
import { readCarriedCertificate } from './duis-certificates.js';
import {
  child,
  childElements,
  childText,
  type DomElement,
  DuisXmlError,
  requiredChild,
  requiredText,
  sr,
  text,
  UNKNOWN_MPXN,
} from './duis-xml.js';

/**
 * DUIS 5.4 request bodies (DUIS.md §4) ↔ the bodies trialsim's DCC reads (each service module's
 * `requestBody`, simulator/domain/services/), one
 * SRV at a time, following the adapter rules of DUIS.md §4.1. DUIS fields that drive nothing in
 * trialsim (8.14.x install details, 8.11 MPxNs and join period, 8.1.1's clock tolerance) are
 * checked by the XSD and then not kept; fields trialsim needs that DUIS does not carry (12.2's
 * hardware version) the DCC takes from its own records (the CPL's Device Model).
 */

/** A DUIS body trialsim understands but does not model: refused with this rule, never guessed. */
export class UnmodelledBodyError extends DuisXmlError {}

export interface BodyCodec {
  /** The `sr:Body` child element this SRV's request carries. */
  readonly element: string;
  decode(element: DomElement): Record<string, unknown>;
  /** Writes the DUIS body from trialsim's body; `context` supplies what trialsim's body names by reference. */
  encode(body: Record<string, unknown>, context: EncodeContext): string;
}

/** What a DUIS client holds that trialsim's bodies name only by reference (6.23's certificates). */
export interface EncodeContext {
  readonly requestCounter: number;
  /** The sender's own in-use certificates (DER), for 6.23. */
  readonly certificates?: { readonly ds: Uint8Array; readonly ka: Uint8Array; readonly path: Uint8Array };
}

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

function executionDateTime(element: DomElement): { executionDateTime?: string } {
  const at = childText(element, 'ExecutionDateTime');
  return at === undefined ? {} : { executionDateTime: at };
}

/** The execution time of a command a device (11.3, 6.15.1) or the DCC (6.23) holds, which DUIS can cancel. */
function heldExecutionDateTime(element: DomElement): { executionDateTime?: string } {
  const at = childText(element, 'ExecutionDateTime');
  return at === undefined ? {} : { executionDateTime: executionTimeFromDuis(at) };
}

function deviceIdOnly(element: string): BodyCodec {
  return {
    element,
    decode: (e) => ({ deviceId: requiredText(e, 'DeviceID') }),
    encode: (body) => sr(element, [sr('DeviceID', str(body.deviceId))]),
  };
}

function empty(element: string): BodyCodec {
  return {
    element,
    decode: () => ({}),
    encode: () => sr(element, []),
  };
}

/** 8.14.x: many required install fields; only DeviceID drives trialsim (DUIS.md §4.1). */
function commsHubStatus(element: string, fields: readonly [string, string][]): BodyCodec {
  return {
    element,
    decode: (e) => ({ deviceId: requiredText(e, 'DeviceID') }),
    encode: (body) => sr(element, [sr('DeviceID', str(body.deviceId)), ...fields.map(([n, v]) => sr(n, v))]),
  };
}

const LOG_KINDS: Readonly<Record<string, string>> = { Event: 'event', Security: 'security' };

const REMOTE_PARTY_MODES: Readonly<Record<string, string>> = {
  Supplier: 'supplierBySupplier',
  NetworkOperator: 'networkOperatorByNetworkOperator',
  ACB: 'accessControlBrokerByACB',
  Recovery: 'anyExceptAbnormalRootByRecovery',
};
const REMOTE_PARTY_ROLES: Readonly<Record<string, string>> = {
  Supplier: 'supplier',
  NetworkOperator: 'networkOperator',
  ACB: 'accessControlBroker',
  Recovery: 'recovery',
};

/** DUIS SupplierOrNetworkOperatorCertificatesKRP, in XSD order: the cell each certificate goes into. */
const KRP_CERTIFICATES = [
  ['DigitalSigningCertificate', 'digitalSignature', 'management'],
  ['KeyAgreementCertificate', 'keyAgreement', 'management'],
  ['KeyAgreementTopUpCertificate', 'keyAgreement', 'prepaymentTopUp'],
] as const;

function certificate(element: DomElement, name: string, what: string) {
  const value = childText(element, name);
  if (value === undefined) return undefined;
  const cert = readCarriedCertificate(value);
  if (cert === undefined) throw new DuisXmlError(`${what}: ${name} is not a P-256 X.509 certificate`);
  return cert;
}

export const BODY_CODECS: Readonly<Record<string, BodyCodec>> = {
  // Not modelled by trialsim's DCC (TRIALSIM-NOT-IMPLEMENTED), but a DUIS User can send it, so
  // the codec lets both interfaces reach the DCC's refusal; RestrictionDateTime is required.
  '3.2': {
    element: 'RestrictAccessForChangeOfTenancy',
    decode: (e) => ({ ...executionDateTime(e), restrictionDateTime: requiredText(e, 'RestrictionDateTime') }),
    encode: (body) => {
      const at = str(body.restrictionDateTime);
      if (at === undefined)
        throw new DuisXmlError('3.2 needs a restrictionDateTime (DUIS RestrictionDateTime)');
      return sr('RestrictAccessForChangeOfTenancy', [
        sr('ExecutionDateTime', str(body.executionDateTime)),
        sr('RestrictionDateTime', at),
      ]);
    },
  },
  '12.2': {
    element: 'DevicePrenotification',
    decode: (e) => {
      const body: Record<string, unknown> = {
        deviceId: requiredText(e, 'DeviceID'),
        manufacturer: requiredText(e, 'DeviceManufacturer'),
        model: requiredText(e, 'DeviceModel'),
        deviceType: requiredText(e, 'DeviceType'),
      };
      for (const [name, key] of [
        ['SMETSCHTSVersion', 'smetsChtsVersion'],
        ['FirmwareVersion', 'firmwareVersion'],
        ['ESMEVariant', 'esmeVariant'],
        ['AssociatedGPFDeviceID', 'associatedGpfDeviceId'],
      ] as const) {
        const value = childText(e, name);
        if (value !== undefined) body[key] = value;
      }
      return body;
    },
    encode: (body) =>
      sr('DevicePrenotification', [
        sr('DeviceID', str(body.deviceId)),
        sr('DeviceManufacturer', str(body.manufacturer)),
        sr('DeviceModel', str(body.model)),
        sr('DeviceType', str(body.deviceType)),
        sr('SMETSCHTSVersion', str(body.smetsChtsVersion)),
        sr('FirmwareVersion', str(body.firmwareVersion)),
        sr('ESMEVariant', str(body.esmeVariant)),
        sr('AssociatedGPFDeviceID', str(body.associatedGpfDeviceId)),
      ]),
  },
  '8.2': {
    element: 'ReadInventory',
    decode: (e) => {
      const deviceId = childText(e, 'DeviceID');
      if (deviceId !== undefined) return { deviceId };
      const by = childElements(e)[0]?.localName ?? 'nothing';
      throw new UnmodelledBodyError(`8.2 by ${by}: trialsim reads the inventory by DeviceID only`);
    },
    encode: (body) => sr('ReadInventory', [sr('DeviceID', str(body.deviceId))]),
  },
  '8.3': deviceIdOnly('DecommissionDevice'),
  '8.4': {
    element: 'UpdateInventory',
    decode: (e) => {
      const deviceId = requiredText(e, 'DeviceID');
      const status = childText(e, 'UpdateDeviceStatusExceptCH');
      if (status !== undefined) return { deviceId, status };
      const branch = childElements(e)[1]?.localName ?? 'nothing';
      throw new UnmodelledBodyError(`8.4 ${branch}: trialsim models only UpdateDeviceStatusExceptCH`);
    },
    encode: (body) =>
      sr('UpdateInventory', [
        sr('DeviceID', str(body.deviceId)),
        sr('UpdateDeviceStatusExceptCH', str(body.status)),
      ]),
  },
  '8.14.1': commsHubStatus('CHFInstallSuccessSMWAN', [
    ['CHFInstallType', 'New CHF Install'],
    ['MPxN', UNKNOWN_MPXN],
    ['AerialInstall', 'false'],
    ['CHFLocation', 'Basement or Cellar'],
  ]),
  // 8.14.2-4: the install, fault and return details DUIS requires drive nothing in trialsim; its
  // bodies name the hub only, so the User writes the XSD's plainest values (a body may override).
  '8.14.2': {
    element: 'CHFInstallSuccessNoSMWAN',
    decode: (e) => ({ deviceId: requiredText(e, 'DeviceID') }),
    encode: (body) =>
      sr('CHFInstallSuccessNoSMWAN', [
        sr('DeviceID', str(body.deviceId)),
        sr('CHFInstallType', 'CHF Install - no SM WAN'),
        sr('MPxN', UNKNOWN_MPXN),
        sr('AerialInstall', 'false'),
        sr('CHFLocation', str(body.chfLocation) ?? 'Basement or Cellar'),
        sr('PremiseType', str(body.premiseType) ?? 'Detached / Semi Detached'),
        sr('MetalObstructionCheck', 'false'),
        sr('ConnectivityObstructionCheck', 'false'),
        sr('SharedObstructionCheck', 'false'),
      ]),
  },
  '8.14.3': {
    element: 'CHFFaultReturn',
    decode: (e) => ({ deviceId: requiredText(e, 'DeviceID') }),
    encode: (body) =>
      sr('CHFFaultReturn', [
        sr('DeviceID', str(body.deviceId)),
        sr('CHFFaultReturnType', 'Fault identified prior to installation'),
        // The device the hub was fitted to; trialsim keeps none, so the hub names itself.
        sr('OtherDeviceID', str(body.otherDeviceId) ?? str(body.deviceId)),
        sr('CHFConnectionMethod', str(body.connectionMethod) ?? 'Hot-shoe'),
        sr('CHFFaultReason', str(body.faultReason) ?? 'Damaged case'),
      ]),
  },
  '8.14.4': {
    element: 'CHFNoFaultReturn',
    decode: (e) => ({ deviceId: requiredText(e, 'DeviceID') }),
    encode: (body) =>
      sr('CHFNoFaultReturn', [
        sr('DeviceID', str(body.deviceId)),
        sr('CHFNoFaultReturnType', 'No Fault Return (general)'),
      ]),
  },
  '8.11': {
    element: 'UpdateHANDeviceLog',
    decode: (e) => {
      const add = child(e, 'AddDeviceToCHFWhitelist');
      const installCode = add === undefined ? undefined : childText(add, 'InstallCode');
      return {
        action: requiredText(e, 'RequestType') === 'Add' ? 'add' : 'remove',
        deviceId: requiredText(e, 'DeviceID'),
        ...(installCode === undefined ? {} : { installCode }),
      };
    },
    encode: (body) => {
      const code = str(body.installCode);
      // DUIS carries the install code as hexBinary of 6–16 bytes; trialsim's may be any text.
      const installCode =
        code === undefined
          ? undefined
          : /^([0-9A-Fa-f]{2}){6,16}$/.test(code)
            ? code
            : hex(Buffer.from(code));
      return sr('UpdateHANDeviceLog', [
        sr('DeviceID', str(body.deviceId)),
        sr('RequestType', body.action === 'remove' ? 'Remove' : 'Add'),
        body.action === 'remove' || installCode === undefined
          ? undefined
          : sr('AddDeviceToCHFWhitelist', [sr('JoinTimePeriod', 3600), sr('InstallCode', installCode)]),
      ]);
    },
  },
  '8.9': empty('ReadDeviceLog'),
  '8.1.1': {
    element: 'CommissionDeviceSynchroniseClock',
    decode: () => ({}),
    encode: (body) =>
      sr('CommissionDeviceSynchroniseClock', [
        sr('CurrentDateTime', str(body.currentDateTime) ?? new Date(0).toISOString()),
        sr('TolerancePeriod', str(body.tolerancePeriod) ?? '60'),
      ]),
  },
  '11.2': empty('ReadFirmwareVersion'),
  '4.1.1': empty('ReadInstantaneousImportRegisters'),
  '11.3': {
    element: 'ActivateFirmware',
    decode: (e) => ({
      ...heldExecutionDateTime(e),
      imageHash: new Uint8Array(Buffer.from(requiredText(e, 'FirmwareHash'), 'hex')),
    }),
    encode: (body) =>
      sr('ActivateFirmware', [
        sr('ExecutionDateTime', executionTimeToDuis(str(body.executionDateTime))),
        sr('FirmwareHash', body.imageHash instanceof Uint8Array ? hex(body.imageHash) : undefined),
      ]),
  },
  '11.1': {
    element: 'UpdateFirmware',
    decode: (e) => ({
      image: new Uint8Array(Buffer.from(requiredText(e, 'FirmwareImage').replace(/\s+/g, ''), 'base64')),
      firmwareVersion: requiredText(e, 'FirmwareVersion'),
      deviceIds: requiredText(e, 'DeviceIDList')
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id.length > 0),
    }),
    encode: (body) =>
      sr('UpdateFirmware', [
        sr('FirmwareImage', body.image instanceof Uint8Array ? b64(body.image) : undefined),
        sr('FirmwareVersion', str(body.firmwareVersion)),
        sr('DeviceIDList', Array.isArray(body.deviceIds) ? body.deviceIds.join(',') : undefined),
      ]),
  },
  '6.13': {
    element: 'ReadEventOrSecurityLog',
    decode: (e) => {
      const kind = requiredText(e, 'LogToRead');
      const log = LOG_KINDS[kind];
      if (log === undefined)
        throw new UnmodelledBodyError(
          `6.13 LogToRead ${kind}: trialsim keeps only the Event and Security logs`,
        );
      return { log };
    },
    encode: (body) =>
      sr('ReadEventOrSecurityLog', [
        sr('ReadLogPeriod', [
          sr('StartDateTime', '2000-01-01T00:00:00Z'),
          sr('EndDateTime', '2099-12-31T23:59:59Z'),
        ]),
        sr('LogToRead', body.log === 'security' ? 'Security' : 'Event'),
      ]),
  },
  '6.23': {
    element: 'UpdateSecurityCredentialsCoS',
    decode: (e) => {
      const certs = requiredChild(e, 'SupplierReplacementCertificates');
      const ds = certificate(certs, 'DigitalSigningCertificate', '6.23');
      const ka = certificate(certs, 'KeyAgreementCertificate', '6.23');
      const floor = Number(requiredText(e, 'SupplierFloorSeqNumber'));
      return {
        // Future-dated to the supply start date (FutureDatedAbstractType; dcc/change-of-supplier.ts),
        // or DUIS's cancellation of one the DCC holds.
        ...heldExecutionDateTime(e),
        ...(ds === undefined ? {} : { dsCertificateSerial: ds.serialNumber }),
        ...(ka === undefined ? {} : { kaCertificateSerial: ka.serialNumber }),
        ...(Number.isSafeInteger(floor) ? { floorSequenceNumber: floor } : {}),
      };
    },
    encode: (body, context) => {
      const certs = context.certificates;
      if (certs === undefined) throw new DuisXmlError("6.23 over DUIS needs the sender's certificates");
      return sr('UpdateSecurityCredentialsCoS', [
        sr('ExecutionDateTime', executionTimeToDuis(str(body.executionDateTime))),
        sr('SupplierFloorSeqNumber', str(body.floorSequenceNumber) ?? String(context.requestCounter)),
        sr('SupplierReplacementCertificates', [
          sr('DigitalSigningCertificate', b64(certs.ds)),
          sr('KeyAgreementCertificate', b64(certs.ka)),
        ]),
        sr('CertificationPathCertificates', [sr('Certificate', b64(certs.path))]),
        sr('ApplyTimeBasedCPVChecks', 'false'),
        sr('ImportMPxN', UNKNOWN_MPXN),
      ]);
    },
  },
  '6.15.1': {
    element: 'UpdateSecurityCredentialsKRP',
    decode: (e) => {
      const roleName = requiredText(e, 'RemotePartyRole');
      const mode = REMOTE_PARTY_MODES[roleName];
      const role = REMOTE_PARTY_ROLES[roleName];
      if (mode === undefined || role === undefined)
        throw new UnmodelledBodyError(
          `6.15.1 RemotePartyRole ${roleName}: trialsim does not model that replacement`,
        );
      const floorText = childText(e, 'RemotePartyFloorSeqNumber');
      const floor = floorText === undefined ? undefined : Number(floorText);
      const holder = child(
        requiredChild(e, 'ReplacementCertificates'),
        'SupplierOrNetworkOperatorCertificates',
      );
      const replacements: Record<string, unknown>[] = [];
      if (holder !== undefined) {
        for (const [name, keyUsage, cellUsage] of KRP_CERTIFICATES) {
          const cert = certificate(holder, name, '6.15.1');
          if (cert === undefined) continue;
          replacements.push({
            role,
            keyUsage,
            cellUsage,
            // The certificate whole: CS02b carries it and the device reads it (GBCS.md §7.8).
            certificate: cert.der,
            ...(floor !== undefined && Number.isSafeInteger(floor) ? { originatorCounterFloor: floor } : {}),
          });
        }
      }
      if (replacements.length === 0)
        throw new UnmodelledBodyError('6.15.1 carries no replacement certificate trialsim models');
      const path = childElements(requiredChild(e, 'CertificationPathCertificates'))
        .filter((c) => c.localName === 'Certificate')
        .map((c) => new Uint8Array(Buffer.from(text(c).replace(/\s+/g, ''), 'base64')));
      return {
        // Future-dated (FutureDatedAbstractType): the device holds the CS02b and raises 0x00CB
        // when it runs (GBCS.md §7.8); dated as DUIS's cancellation it cancels a held one.
        ...heldExecutionDateTime(e),
        replacementMode: mode,
        replacements,
        certificationPath: path,
        applyTimeBasedCpvChecks: requiredText(e, 'ApplyTimeBasedCPVChecks') === 'true',
      };
    },
    encode: (body) => {
      const mode = String(body.replacementMode);
      const roleName = Object.keys(REMOTE_PARTY_MODES).find((name) => REMOTE_PARTY_MODES[name] === mode);
      if (roleName === undefined) throw new DuisXmlError(`6.15.1 has no RemotePartyRole for ${mode}`);
      const replacements = Array.isArray(body.replacements)
        ? (body.replacements as Record<string, unknown>[])
        : [];
      const byName = new Map<string, Uint8Array>();
      for (const r of replacements) {
        const entry = KRP_CERTIFICATES.find(
          ([, keyUsage, cellUsage]) => keyUsage === r.keyUsage && cellUsage === (r.cellUsage ?? 'management'),
        );
        const cell = `${String(r.role)} ${String(r.keyUsage)} ${String(r.cellUsage ?? 'management')}`;
        // RemotePartyRole names one party for every certificate, one certificate a cell.
        if (r.role !== REMOTE_PARTY_ROLES[roleName] || entry === undefined || byName.has(entry[0]))
          throw new DuisXmlError(
            `6.15.1 over DUIS carries one certificate per ${roleName} cell (DS, KA, KA top-up), not ${cell}`,
          );
        if (!(r.certificate instanceof Uint8Array))
          throw new DuisXmlError(`6.15.1 over DUIS carries certificates: the ${cell} cell has none`);
        byName.set(entry[0], r.certificate);
      }
      const floors = new Set(
        replacements.map((r) => r.originatorCounterFloor).filter((f) => f !== undefined),
      );
      if (floors.size > 1) throw new DuisXmlError('6.15.1 over DUIS carries one RemotePartyFloorSeqNumber');
      const path = Array.isArray(body.certificationPath) ? (body.certificationPath as unknown[]) : [];
      if (path.length === 0 || !path.every((c) => c instanceof Uint8Array))
        throw new DuisXmlError(
          '6.15.1 over DUIS needs its certification path (CertificationPathCertificates)',
        );
      return sr('UpdateSecurityCredentialsKRP', [
        sr('ExecutionDateTime', executionTimeToDuis(str(body.executionDateTime))),
        sr('RemotePartyRole', roleName),
        sr('RemotePartyFloorSeqNumber', str([...floors][0])),
        sr('ReplacementCertificates', [
          sr(
            'SupplierOrNetworkOperatorCertificates',
            KRP_CERTIFICATES.map(([name]) => {
              const der = byName.get(name);
              return sr(name, der === undefined ? undefined : b64(der));
            }),
          ),
        ]),
        sr(
          'CertificationPathCertificates',
          (path as Uint8Array[]).map((c) => sr('Certificate', b64(c))),
        ),
        sr('ApplyTimeBasedCPVChecks', body.applyTimeBasedCpvChecks === false ? 'false' : 'true'),
      ]);
    },
  },
};
