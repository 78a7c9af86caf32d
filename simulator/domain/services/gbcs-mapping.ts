import type { DeviceType } from '../device/device-types.js';

/**
 * How a service request becomes a GBCS use case. One SRV maps to different use cases by device
 * type (and sometimes by its body: 6.13 event or security log, 8.11 add or remove), each with a
 * two-byte message code that travels in the GBCS header's other-information. Names and codes are
 * GBCS's as DCC's RTDS reference messages carry them.
 */
export interface GbcsUseCase {
  /** The GBCS use case name, e.g. `ECS70`. */
  readonly useCase: string;
  /** The GBCS message code, e.g. 0x0062. */
  readonly messageCode: number;
  /**
   * Who originates the command in the GBCS header:
   * - `user`: the DCC User, with its DUIS RequestID counter; the ACB adds the MAC;
   * - `acb`: the ACB with its own counter, the User and its counter in the supplementary remote
   *   party fields (use cases addressed to a comms hub, and CS08);
   * - `transCoS`: the DCC's transitional CoS party, with its own counter (6.23).
   */
  readonly originator: 'user' | 'acb' | 'transCoS';
  /** Signed by the originator (and the device's response signed by the device). */
  readonly critical: boolean;
  /**
   * How the payload is encoded. `GBZ` (ZigBee, the gas use cases) is outside what trialsim
   * encodes: such a device stays on trialsim's own profile (PROTOCOL.md), labelled as such.
   */
  readonly encoding: 'DLMS' | 'ASN.1' | 'GBZ';
}

/** No GBCS command at all: the SRV is carried out by other means (OTA transfer, DCC only). */
export interface NoGbcsCommand {
  readonly useCase: undefined;
  /** Why, in a sentence for the trace and the evidence. */
  readonly reason: string;
}

export type GbcsMapping = (
  deviceType: DeviceType,
  body: Readonly<Record<string, unknown>>,
) => GbcsUseCase | NoGbcsCommand;

export function useCase(
  name: string,
  messageCode: number,
  encoding: GbcsUseCase['encoding'],
  options: { readonly originator?: GbcsUseCase['originator']; readonly critical?: boolean } = {},
): GbcsUseCase {
  return Object.freeze({
    useCase: name,
    messageCode,
    originator: options.originator ?? 'user',
    critical: options.critical ?? false,
    encoding,
  });
}

export function noGbcsCommand(reason: string): NoGbcsCommand {
  return Object.freeze({ useCase: undefined, reason });
}

/** Whether trialsim carries this use case as GBCS bytes (everything but GBZ). */
export function isGbcsEncoded(mapped: GbcsUseCase | NoGbcsCommand): mapped is GbcsUseCase {
  return mapped.useCase !== undefined && mapped.encoding !== 'GBZ';
}

/** `0x0062` form, as GBCS documents and the trace write a message code. */
export function messageCodeText(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A mapping that depends on the device type only; any other type has no GBCS command. */
export function byDeviceType(
  table: Readonly<Partial<Record<DeviceType, GbcsUseCase>>>,
  otherwise: string,
): GbcsMapping {
  const none = noGbcsCommand(otherwise);
  return (deviceType) => table[deviceType] ?? none;
}
