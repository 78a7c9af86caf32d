import { z } from 'zod';
import { cellFor } from '../../../simulator/domain/index.js';
import { nameOf, registeredSupplierName } from '../../stack/churn-operations.js';
import { ExpectationFailure } from '../expectation-failure.js';
import { selectFleetDevices } from '../fleets/fleet-selection.js';
import { defineCheck } from './state-check.js';

const registrationCheckSchema = z
  .object({
    devices: z.union([z.string(), z.array(z.string()).min(1)]).describe('fleet id(s) and/or device id(s)'),
    supplier: z.string().optional().describe('party name every one of them must be registered to'),
  })
  .strict();

/**
 * Churn's invariant for each device (DCC.md §9): the supplier the registration data names
 * now is the one the SMI names and the one in the device's Supplier DS and KA trust anchor cells —
 * so it is the only supplier that can command the device. Optionally, that it is `supplier`.
 */
export const registrationCheck = defineCheck({
  key: 'registration',
  description: 'registration data, SMI and the device agree on one supplier per device',
  schema: registrationCheckSchema,
  check(want, context) {
    const { stack } = context;
    const selected = selectFleetDevices(want, context.fleets, new Set(stack.deviceSpecs.keys()));
    if (!selected.ok) throw new RangeError(`registration: ${selected.problem}`);
    const problems: string[] = [];
    for (const id of selected.ids) {
      const eui = stack.deviceSpec(id).eui;
      const registered = registeredSupplierName(stack, eui);
      const record = stack.dcc.view.smi.get(eui);
      const inSmi = record === undefined ? undefined : nameOf(stack, record.supplier);
      const anchors = stack.device(id).state.trustAnchors;
      const ds = cellFor(anchors, 'supplier', 'digitalSignature');
      const ka = cellFor(anchors, 'supplier', 'keyAgreement');
      const onDevice = [ds, ka].map((cell) => (cell === undefined ? 'none' : nameOf(stack, cell.eui)));
      const agree = registered === inSmi && onDevice.every((name) => name === registered);
      if (!agree || (want.supplier !== undefined && registered !== want.supplier)) {
        problems.push(
          `${id}: registered ${registered ?? 'none'}, SMI ${inSmi ?? 'none'}, device DS ${onDevice[0]} / KA ${onDevice[1]}`,
        );
      }
    }
    if (problems.length > 0) {
      throw new ExpectationFailure(
        `${problems.length} of ${selected.ids.length} devices break one-supplier-per-device${want.supplier ? ` (want ${want.supplier})` : ''}`,
        want,
        problems,
      );
    }
  },
});
