import { firmwareReported } from '../dcc/commissioning-responses.js';
import { byDeviceType, gbcsUseCase } from './gbcs-mapping.js';
import type { ServiceModule } from './service-module.js';

/**
 * 11.2 Read Firmware Version: ECS52 on an ESME; ECS52 in the ACB form on a comms hub (a real
 * DCC Boxed 11.2 response to a CHF shows it); CS08 on a PPMID or HCALCS; GCS38 on a GSME.
 */
export const readFirmwareVersion: ServiceModule = {
  srv: '11.2',
  gbcs: byDeviceType(
    {
      ESME: gbcsUseCase(0x0059),
      CHF: gbcsUseCase(0x0059, 'acb'),
      PPMID: gbcsUseCase(0x0129, 'acb'),
      HCALCS: gbcsUseCase(0x0129, 'acb'),
      GSME: gbcsUseCase(0x0084),
    },
    'no GBCS firmware-version read for a GPF is known to trialsim',
  ),
  dcc: { response: firmwareReported },
  device: {
    critical: false,
    authority: ['supplier', 'networkOperator'],
    execute: (state) => ({ state, body: { status: 'success', firmwareVersion: state.firmwareVersion } }),
  },
};
