import type { DeviceType } from '../device/device-types.js';
import { type GbcsUseCase, useCaseByCode } from '../gbcs/use-cases/use-case-catalogue.js';

/**
 * How a service request becomes a GBCS use case. One SRV maps to different use cases by device
 * type (and sometimes by its body: 6.13 event or security log, 8.11 add or remove). The use case
 * itself (name, message code, criticality, payload encoding) is the GBCS codec's catalogue row;
 * what this adds is who originates the command in the GBCS header:
 * - `user`: the DCC User, with its DUIS RequestID counter; the ACB adds the MAC;
 * - `acb`: the ACB with its own counter, the User and its RequestID counter in the supplementary
 *   remote party fields (use cases addressed to a comms hub, and CS08; GBCS.md §5.3);
 * - `transCoS`: the DCC's transitional CoS party, with its own counter (6.23).
 */
export interface MappedUseCase {
  readonly useCase: GbcsUseCase;
  readonly originator: 'user' | 'acb' | 'transCoS';
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
) => MappedUseCase | NoGbcsCommand;

/** The catalogue row for a message code; a code the catalogue lacks is a programming error. */
export function gbcsUseCase(
  messageCode: number,
  originator: MappedUseCase['originator'] = 'user',
): MappedUseCase {
  const row = useCaseByCode(messageCode);
  if (row === undefined) throw new Error(`GBCS use-case catalogue has no message code ${messageCode}`);
  return Object.freeze({ useCase: row, originator });
}

export function noGbcsCommand(reason: string): NoGbcsCommand {
  return Object.freeze({ useCase: undefined, reason });
}

/** Whether trialsim carries this use case as GBCS bytes (not GBZ, which it does not encode). */
export function isGbcsEncoded(mapped: MappedUseCase | NoGbcsCommand): mapped is MappedUseCase {
  return mapped.useCase?.gbcsCompatible === true;
}

/** A mapping that depends on the device type only; any other type has no GBCS command. */
export function byDeviceType(
  table: Readonly<Partial<Record<DeviceType, MappedUseCase>>>,
  otherwise: string,
): GbcsMapping {
  const none = noGbcsCommand(otherwise);
  return (deviceType) => table[deviceType] ?? none;
}
