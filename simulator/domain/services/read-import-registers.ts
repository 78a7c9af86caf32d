import type { DeviceState } from '../device/device-state.js';
import { euiFromBytes } from '../eui.js';
import { byDeviceType, gbcsUseCase } from './gbcs-mapping.js';
import type { ServiceModule } from './service-module.js';

/** Average load behind the meter, so registers advance with virtual time. */
const DEFAULT_LOAD_W = 400;

function advanceRegisters(state: DeviceState, now: number): DeviceState {
  if (now <= state.registerAt) return state;
  const wh = ((now - state.registerAt) / 3_600_000) * DEFAULT_LOAD_W;
  return { ...state, importRegisterWh: state.importRegisterWh + wh, registerAt: now };
}

/**
 * 4.1.1 Read Instantaneous Import Registers: ECS17b on an ESME, whose response body is
 * encrypted for the requesting party. A GSME's read is GBZ, outside what trialsim encodes.
 */
export const readImportRegisters: ServiceModule = {
  srv: '4.1.1',
  gbcs: byDeviceType(
    { ESME: gbcsUseCase(0x0027) },
    'the gas read (GCS13a) is a GBZ payload whose message code trialsim has no source for',
  ),
  dcc: {},
  device: {
    critical: false,
    authority: ['supplier', 'networkOperator'],
    execute: (state, command, now) => {
      // ECS17b's protection parameters name the requester and the ESME (GBCS.md §4.3): the
      // registers are encrypted for the party whose authority the command carries, so a command
      // naming anybody else is not carried out (it answers the DLMS failure form).
      const { requester, esme } = command.body;
      const authorising = euiFromBytes(command.originator);
      if (
        (requester !== undefined && requester !== authorising) ||
        (esme !== undefined && esme !== state.identity.eui)
      ) {
        return {
          state,
          body: {
            status: 'failure',
            reason: `ECS17b names requester ${String(requester)} and ESME ${String(esme)}, not ${authorising} and ${state.identity.eui}`,
          },
        };
      }
      const next = advanceRegisters(state, now);
      return {
        state: next,
        body: { status: 'success', importRegisterWh: Math.floor(next.importRegisterWh) },
      };
    },
  },
};
