import { z } from 'zod';
import { firmwareActivated } from '../dcc/firmware-activation.js';
import { activateFirmware as activate } from '../device/device-firmware.js';
import { euiFromBytes } from '../eui.js';
import { bytesSchema } from '../messages/bytes-schema.js';
import { byDeviceType, gbcsUseCase } from './gbcs-mapping.js';
import type { ServiceModule } from './service-module.js';

const cs06 = gbcsUseCase(0x0012);

/**
 * 11.3 Activate Firmware: CS06, Supplier-signed, on an ESME, PPMID or HCALCS. Immediate, or
 * future-dated (the command carries the execution date-time; the device answers "command
 * accepted" and later raises 0x00CA with the outcome, 0x8F66 or 0x8F67).
 */
export const activateFirmware: ServiceModule = {
  srv: '11.3',
  // The 32-byte manufacturer image hash and an optional execution date-time (future-dated).
  requestBody: z
    .object({
      imageHash: bytesSchema('imageHash', { length: 32 }),
      executionDateTime: z.string().datetime({ offset: true }).optional(),
    })
    .strict(),
  gbcs: byDeviceType(
    { ESME: cs06, PPMID: cs06, HCALCS: cs06 },
    'CS06 is for an ESME, PPMID or HCALCS; gas firmware activation is a GBZ use case trialsim does not encode',
  ),
  dcc: { response: firmwareActivated },
  device: {
    critical: true,
    authority: ['supplier'],
    execute: (state, command, now, defect) =>
      activate(state, command, euiFromBytes(command.originator), now, defect),
  },
};
