import { commissioned } from '../dcc/commissioning-responses.js';
import { appendLog } from '../device/device-state.js';
import { byDeviceType, gbcsUseCase } from './gbcs-mapping.js';
import type { ServiceModule } from './service-module.js';

/**
 * 8.1.1 Commission Device. On the wire an ordinary set-clock: ECS70 on an ESME (RTDS's 8.1.1
 * and 6.11 messages are byte-identical), GCS28 on a GSME; commissioning itself is the DCC's SMI
 * state around it (and, for a trial device, its trial slot).
 */
export const commissionDevice: ServiceModule = {
  srv: '8.1.1',
  gbcs: byDeviceType(
    {
      ESME: gbcsUseCase(0x0062),
      GSME: gbcsUseCase(0x007f),
    },
    'GBCS commissions a GPF, PPMID or HCALCS through the comms hub, with no command trialsim models',
  ),
  dcc: { response: commissioned },
  device: {
    critical: true,
    authority: ['supplier'],
    execute: (state, _command, now) => ({
      state: {
        ...state,
        lifecycle: 'commissioned',
        registerAt: now,
        eventLog: appendLog(state.eventLog, { at: now, code: '0x8F69', detail: 'device commissioned' }),
      },
      body: { status: 'success' },
    }),
  },
};
