import type { DeviceState } from '../device/device-state.js';
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
    execute: (state, _command, now) => {
      const next = advanceRegisters(state, now);
      return {
        state: next,
        body: { status: 'success', importRegisterWh: Math.floor(next.importRegisterWh) },
      };
    },
  },
};
