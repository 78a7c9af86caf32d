import { DEVICE_TYPES, type DeviceType, isType2 } from '../../device/device-types.js';
import { lookupSrv } from '../../duis/srv-catalogue.js';
import { alertRoute, listedAlertCodes } from '../../gbcs/use-cases/alert-routing.js';
import { formatMessageCode, GBCS_USE_CASES, useCaseByCode } from '../../gbcs/use-cases/use-case-catalogue.js';
import { SERVICE_CATALOGUE } from '../service-catalogue.js';
import { gbcsAlertContentFor, gbcsContentFor } from './wire-content.js';

/**
 * Which device messages trialsim sends byte-compatible with DCC's RTDS reference layout and which
 * travel on its own profile (simulator/PROTOCOL.md §5) — what the evidence may claim (GBCS.md §0):
 * - `gbcs`: the GBCS header, protection and the use case's GBCS payload (DLMS A-XDR or ASN.1
 *   DER) laid out as RTDS's messages are;
 * - `trialsim`: a real GBCS header and protection, but the content is trialsim's CBOR map, under
 *   the GBCS message code (gas; use cases whose payload trialsim does not encode yet) or a private
 *   0xFFxx code (services GBCS has no command for).
 */
export type WireProfile = 'gbcs' | 'trialsim';

export interface WireProfileRow {
  /** The DUIS SRV, or `alert` for an alert use case. */
  readonly srv: string;
  readonly deviceType: DeviceType;
  /** The GBCS use case (`ECS52`); undefined where GBCS has no command for the SRV. */
  readonly useCase: string | undefined;
  /** `0x0059`; a private `0xFF0B` where GBCS has no command. */
  readonly messageCode: string | undefined;
  readonly profile: WireProfile;
  /** Why a `trialsim` row is not GBCS-compatible, in a sentence for the evidence. */
  readonly reason?: string;
}

const GAS =
  'gas (GSME, GPF) payloads are GBZ/ZCL, which trialsim does not encode: the body travels as CBOR under the GBCS header';
const NOT_YET =
  "trialsim does not encode this use case's payload: the body travels as CBOR under the GBCS header";

/** The payload profile of one GBCS use case (by message code) as trialsim sends it. */
export function useCaseWireProfile(messageCode: number): WireProfile {
  const row = GBCS_USE_CASES.find((u) => u.messageCode === messageCode);
  const form = row?.kind === 'alert' ? gbcsAlertContentFor(messageCode) : gbcsContentFor(messageCode);
  return row?.gbcsCompatible === true && form !== undefined ? 'gbcs' : 'trialsim';
}

/** Bodies that pick another use case of the same SRV (6.13 security log, 8.11 remove, CS02b modes). */
const BODY_VARIANTS: readonly Record<string, unknown>[] = [
  {},
  { log: 'security' },
  { action: 'remove' },
  { replacementMode: 'supplierBySupplier' },
  { replacementMode: 'networkOperatorByNetworkOperator' },
];

/**
 * Every (SRV, device type) the DCC accepts (DUIS eligibility) and sends to a device, each use case
 * it becomes there with its wire profile, then the alert use cases devices raise. The evidence
 * reads this to say which messages are byte-compatible with RTDS and which are on trialsim's profile.
 */
export function wireProfiles(): readonly WireProfileRow[] {
  const rows: WireProfileRow[] = [];
  const seen = new Set<string>();
  const add = (row: WireProfileRow) => {
    const key = `${row.srv} ${row.deviceType} ${row.messageCode}`;
    if (seen.has(key)) return;
    seen.add(key);
    rows.push(row);
  };
  for (const service of SERVICE_CATALOGUE.values()) {
    const { gbcs } = service;
    if (gbcs === undefined || service.device === undefined) continue;
    const eligible = lookupSrv(service.srv)?.deviceTypes ?? DEVICE_TYPES;
    for (const deviceType of eligible.filter((t) => !isType2(t))) {
      const mappings = BODY_VARIANTS.map((body) => gbcs(deviceType, body));
      const none = mappings.find((m) => m.useCase === undefined);
      if (none !== undefined && mappings.every((m) => m.useCase === undefined)) {
        add({
          srv: service.srv,
          deviceType,
          useCase: undefined,
          messageCode: undefined,
          profile: 'trialsim',
          reason: none.reason,
        });
        continue;
      }
      for (const mapped of mappings) {
        if (mapped.useCase === undefined) continue;
        const { useCase } = mapped;
        const profile = useCaseWireProfile(useCase.messageCode);
        add({
          srv: service.srv,
          deviceType,
          useCase: useCase.name,
          messageCode: formatMessageCode(useCase.messageCode),
          profile,
          ...(profile === 'trialsim' ? { reason: useCase.gbcsCompatible ? NOT_YET : GAS } : {}),
        });
      }
    }
  }
  // A future-dated outcome has two wrappers, by the use case that ran: 0x00CA (CS06), 0x00CB (CS02b).
  const alertWrappers = listedAlertCodes().flatMap((code) =>
    (['CS06', 'CS02b'] as const).map((ran) => alertRoute(code, ran).messageCode),
  );
  for (const messageCode of new Set(alertWrappers)) {
    const wrapper = useCaseByCode(messageCode);
    if (wrapper === undefined) continue;
    for (const deviceType of wrapper.deviceTypes) {
      add({
        srv: 'alert',
        deviceType,
        useCase: wrapper.name,
        messageCode: formatMessageCode(wrapper.messageCode),
        ...(gbcsAlertContentFor(wrapper.messageCode) === undefined
          ? {
              profile: 'trialsim' as const,
              reason:
                "trialsim does not encode this alert's payload: the alert code and body travel as CBOR under the alert use case's GBCS header",
            }
          : { profile: 'gbcs' as const }),
      });
    }
  }
  return rows;
}
