import { type Eui, parseEui } from '../../../simulator/domain/index.js';
import type { FleetDefinition } from './fleet-schema.js';

/** One device a fleet stands for, before its model file is read. */
export interface FleetMember {
  readonly id: string;
  readonly eui: Eui;
  readonly model: string;
  readonly supplier: string;
  readonly networkOperator: string;
  readonly firmwareVersion: string | undefined;
  readonly preinstalled: boolean;
  readonly chf: string | undefined;
}

/** The EUI `offset` places after `first`, as a 64-bit number; throws past FF-…-FF. */
export function euiPlus(first: Eui, offset: number): Eui {
  const value = BigInt(`0x${first.replaceAll('-', '')}`) + BigInt(offset);
  if (value > 0xffff_ffff_ffff_ffffn) throw new RangeError(`${first} + ${offset} is past the last EUI-64`);
  return parseEui(value.toString(16).padStart(16, '0'));
}

export function fleetMemberId(fleet: FleetDefinition, index: number): string {
  return `${fleet.id}-${String(index + 1).padStart(Math.max(3, String(fleet.count).length), '0')}`;
}

/** The devices of a fleet, comms hubs (if it has its own) first so the meters can join them. */
export function expandFleet(fleet: FleetDefinition): { hubs: FleetMember[]; meters: FleetMember[] } {
  const hubs: FleetMember[] = [];
  const meters: FleetMember[] = [];
  for (let i = 0; i < fleet.count; i++) {
    const id = fleetMemberId(fleet, i);
    let chf = fleet.chf;
    if (fleet.commsHubs !== undefined) {
      chf = `${id}-chf`;
      hubs.push({
        id: chf,
        eui: euiPlus(fleet.commsHubs.firstEui as Eui, i),
        model: fleet.commsHubs.model,
        supplier: fleet.supplier,
        networkOperator: fleet.networkOperator,
        firmwareVersion: undefined,
        // A comms hub is installed and commissioned by the CSP before the meter (DCC.md §6).
        preinstalled: true,
        chf: undefined,
      });
    }
    meters.push({
      id,
      eui: euiPlus(fleet.firstEui as Eui, i),
      model: fleet.model,
      supplier: fleet.supplier,
      networkOperator: fleet.networkOperator,
      firmwareVersion: fleet.firmwareVersion,
      preinstalled: fleet.preinstalled,
      chf,
    });
  }
  return { hubs, meters };
}
