/**
 * Named procedures a fleet step can run for each device (`do: commission`). Each is the list of
 * steps a scenario would otherwise write out per device; `device` and `as` are filled in per
 * device (see fleet-templates.ts). The steps follow the commissioning path of TRIALS.md
 * "What the evidence must show": pre-notification, whitelisting, install, commission.
 */
export type TemplateStep = Readonly<Record<string, unknown>>;

interface FleetProcedure {
  readonly description: string;
  steps(device: { readonly chf: string | undefined }): readonly TemplateStep[];
}

export const FLEET_PROCEDURES = {
  commission: {
    description: '12.2 pre-notify, 8.11 whitelist on its comms hub, 8.4 installed, 8.1.1 commission',
    steps: (device) => [
      { send: { srv: '12.2' }, expect: { response: 'I0' } },
      // A meter with no comms hub in the scenario has nothing to join (DCC.md §6).
      ...(device.chf === undefined ? [] : [{ send: { srv: '8.11' }, expect: { response: 'I0' } }]),
      { send: { srv: '8.4' }, expect: { response: 'I0' } },
      { send: { srv: '8.1.1' }, expect: { response: 'I0', body: { status: 'success' } } },
      { expect: { smi: { status: 'Commissioned' } } },
    ],
  },
  read: {
    description: 'normal operation: 11.2 read firmware version, 4.1.1 read import registers',
    steps: () => [
      { send: { srv: '11.2' }, expect: { response: 'I0' } },
      { send: { srv: '4.1.1' }, expect: { response: 'I0' } },
    ],
  },
  decommission: {
    description: '8.3 decommission (removal at the end of a trial)',
    steps: () => [
      { send: { srv: '8.3' }, expect: { response: 'I0' } },
      { expect: { smi: { status: 'Decommissioned' } } },
    ],
  },
} as const satisfies Record<string, FleetProcedure>;

export type FleetProcedureName = keyof typeof FLEET_PROCEDURES;
export const FLEET_PROCEDURE_NAMES = Object.keys(FLEET_PROCEDURES) as [
  FleetProcedureName,
  ...FleetProcedureName[],
];
