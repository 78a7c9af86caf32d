import { z } from 'zod';
import { updateFirmware as distribute, firmwareTransfer } from '../dcc/firmware-distribution.js';
import { receiveImage } from '../device/device-firmware-transfer.js';
import { FIRMWARE_MAX_IMAGE_BYTES } from '../firmware/firmware-image.js';
import { bytesSchema } from '../messages/bytes-schema.js';
import { noGbcsCommand } from './gbcs-mapping.js';
import type { ServiceModule } from './service-module.js';

const ota = noGbcsCommand(
  'GBCS has no command for 11.1: the image travels by ZigBee OTA (outside trialsim), and the outcome comes back as alerts (FDRA 0x00CE from an ESME, CCS08 0x0128 from the comms hub)',
);

/**
 * 11.1 Update Firmware: a non-device SR. The DCC screens the device list and answers at once,
 * then sends the image to every accepted device; each answers later with a transfer alert.
 */
export const updateFirmware: ServiceModule = {
  srv: '11.1',
  // DCC.md §2/§10: 11.1 carries the image, its version and the devices to send it to.
  requestBody: z
    .object({
      image: bytesSchema('image', { maxLength: FIRMWARE_MAX_IMAGE_BYTES }),
      firmwareVersion: z.string().min(1).max(8),
      deviceIds: z.array(z.string()).min(1).max(10_000),
    })
    .strict(),
  gbcs: () => ota,
  dcc: { nonDevice: distribute, followUp: firmwareTransfer },
  device: {
    critical: false,
    // The image reaches the device from the DCC after the SR, MACed by the ACB.
    authority: ['supplier'],
    execute: receiveImage,
  },
};
