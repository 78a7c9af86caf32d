import { byDeviceType, gbcsUseCase } from './gbcs-mapping.js';
import type { ServiceModule } from './service-module.js';

/**
 * 8.9 Read Device Log: CCS06 on a comms hub (ACB form); CS07 Read Device Join Details on a HAN
 * device (User-originated, as RTDS's SUCCESS example; its ERROR example is in the ACB form).
 */
export const readDeviceLog: ServiceModule = {
  srv: '8.9',
  gbcs: byDeviceType(
    {
      CHF: gbcsUseCase(0x010f, 'acb'),
      GPF: gbcsUseCase(0x0013),
    },
    '8.9 reads the device log of a comms hub or a GPF',
  ),
  dcc: {},
  device: {
    critical: false,
    authority: ['supplier'],
    execute: (state) => ({ state, body: { status: 'success', deviceLog: state.deviceLog } }),
  },
};
