import { decommissionNotice } from '../dcc/decommission-notice.js';
import { decommission } from '../dcc/inventory-handlers.js';
import { appendLog } from '../device/device-state.js';
import { deviceIdBody } from '../duis/body-fields.js';
import { noGbcsCommand } from './gbcs-mapping.js';
import type { ServiceModule } from './service-module.js';

const dccOnly = noGbcsCommand(
  '8.3 is a DCC service with no GBCS command; trialsim tells the device on its own profile',
);

/**
 * 8.3 Decommission Device: a non-device SR. The DCC decommissions the SMI record, then also tells
 * the device, which refuses every command from then on.
 */
export const decommissionDevice: ServiceModule = {
  srv: '8.3',
  requestBody: deviceIdBody,
  gbcs: () => dccOnly,
  dcc: { nonDevice: decommission, followUp: decommissionNotice },
  device: {
    critical: false,
    // It reaches the device from the DCC after the SR, MACed by the ACB.
    authority: ['supplier'],
    execute: (state, _command, now) => ({
      state: {
        ...state,
        lifecycle: 'decommissioned',
        eventLog: appendLog(state.eventLog, {
          at: now,
          code: 'decommissioned',
          detail: '8.3 Decommission Device',
        }),
      },
      body: { status: 'success' },
    }),
  },
};
