import type { DeviceType } from '../../device/device-types.js';
import { formatMessageCode, useCaseByCode } from '../use-cases/use-case-catalogue.js';

/**
 * Message codes of trialsim's own profile (simulator/PROTOCOL.md §5). Three kinds of device
 * message have no GBCS use case trialsim can send, yet the suite needs them on the wire:
 * - services GBCS has no command for: 11.1 (the image travels by ZigBee OTA, outside trialsim;
 *   trialsim's test transport carries it instead) and 8.3 (a DCC-only service; trialsim tells
 *   the device so that device-side checks of a decommissioned device can run);
 * - device types whose use case GBCS sends through the comms hub in ways trialsim does not model
 *   (commissioning a GPF, PPMID or HCALCS) — the SRV's own code;
 * - gas (GSME, GPF): the GBCS message code is the real one (GCS28, GCS38) but the content is not
 *   GBZ: the use-case catalogue marks these `gbcsCompatible: false`.
 * The codes sit in 0xFF00…0xFFFF, which no GBCS use case trialsim knows uses; a GBCS decoder
 * names them `trialsim private`. Every such message still has a real GBCS header and protection.
 */
const PRIVATE_CODES: ReadonlyMap<string, number> = new Map([
  ['8.1.1', 0xff01],
  ['11.2', 0xff02],
  ['4.1.1', 0xff03],
  ['6.13', 0xff04],
  ['8.11', 0xff05],
  ['8.9', 0xff06],
  ['11.3', 0xff07],
  ['6.15.1', 0xff08],
  ['6.23', 0xff09],
  ['8.3', 0xff0a],
  ['11.1', 0xff0b],
]);

const SRV_BY_PRIVATE_CODE: ReadonlyMap<number, string> = new Map(
  [...PRIVATE_CODES].map(([srv, code]) => [code, srv]),
);

/** The private message code of an SRV with no GBCS command for the device; undefined: none assigned. */
export function privateMessageCode(srv: string): number | undefined {
  return PRIVATE_CODES.get(srv);
}

export function isPrivateMessageCode(messageCode: number): boolean {
  return SRV_BY_PRIVATE_CODE.has(messageCode);
}

/**
 * The SRV a command's message code names: a private code its SRV; a GBCS code the first SRV the
 * use-case catalogue lists for it (ECS70 → 8.1.1, CS02b 0x0107 → 6.23). Every code trialsim
 * sends names one SRV, whatever the device type (the DCC picks the code by type, services/), so
 * the device type only matters to whether the device then supports the service.
 */
export function srvForMessageCode(messageCode: number, _deviceType?: DeviceType): string | undefined {
  return SRV_BY_PRIVATE_CODE.get(messageCode) ?? useCaseByCode(messageCode)?.srvs[0];
}

/** `ECS70 0x0062`, `trialsim 8.3 0xFF0A`: a message code as traces and sequence diagrams name it. */
export function describeMessageCode(messageCode: number): string {
  const srv = SRV_BY_PRIVATE_CODE.get(messageCode);
  if (srv !== undefined) return `trialsim ${srv} ${formatMessageCode(messageCode)}`;
  const row = useCaseByCode(messageCode);
  return row === undefined ? formatMessageCode(messageCode) : `${row.name} ${formatMessageCode(messageCode)}`;
}
