import { z } from 'zod';
import { changeOfSupplierCompleted, requestChangeOfSupplier } from '../dcc/change-of-supplier.js';
import { updateCredentials } from '../device/future-dated-credentials.js';
import { gbcsUseCase } from './gbcs-mapping.js';
import type { ServiceModule } from './service-module.js';

const supplierByTransCoS = gbcsUseCase(0x0107, 'transCoS');

/**
 * 6.23 Update Security Credentials (CoS): a CV 1 request from the gaining supplier, which the
 * DCC's transitional CoS party turns into a CS02b supplierByTransCoS command it signs itself
 * (dcc/change-of-supplier.ts). When the device confirms, the SMI names the gaining supplier.
 */
export const changeOfSupplierCredentials: ServiceModule = {
  srv: '6.23',
  // DCC.md §2: 6.23 carries the gaining supplier's certificates (named by serial number in the
  // SMKI repository; default its in-use ones) and the floor for its counter (default: the 6.23's).
  requestBody: z
    .object({
      dsCertificateSerial: z
        .string()
        .regex(/^[0-9a-fA-F]{1,40}$/)
        .optional(),
      kaCertificateSerial: z
        .string()
        .regex(/^[0-9a-fA-F]{1,40}$/)
        .optional(),
      floorSequenceNumber: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
      // Future-dated to the supply start date (policy cos.futureDated; dcc/change-of-supplier.ts).
      executionDateTime: z.string().datetime({ offset: true }).optional(),
    })
    .strict(),
  gbcs: () => supplierByTransCoS,
  dcc: { request: requestChangeOfSupplier, response: changeOfSupplierCompleted },
  device: {
    critical: true,
    // 6.23 reaches the device as the CoS party's CS02b supplierByTransCoS (DCC.md §9); the DCC
    // holds a future-dated 6.23 itself, but a device reads any CS02b the same way.
    authority: ['transitionalCoS'],
    execute: updateCredentials,
  },
};
