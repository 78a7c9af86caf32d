import { z } from 'zod';
import { firmwareActivated } from '../dcc/firmware-activation.js';
import { activateFirmware as activate } from '../device/device-firmware.js';
import { euiFromBytes } from '../eui.js';
import { bytesSchema } from '../messages/bytes-schema.js';
import { byDeviceType, useCase } from './gbcs-mapping.js';
import type { ServiceModule } from './service-module.js';

const cs06 = useCase('CS06', 0x0012, 'ASN.1', { critical: true });

/**
 * 11.3 Activate Firmware: CS06, Supplier-signed, on every HAN device type. Immediate, or
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
    { ESME: cs06, GSME: cs06, GPF: cs06, PPMID: cs06, HCALCS: cs06 },
    '11.3 activates firmware on a HAN device',
  ),
  dcc: { response: firmwareActivated },
  device: {
    critical: true,
    authority: ['supplier'],
    execute: (state, command, now) => activate(state, command, euiFromBytes(command.originator), now),
  },
};
