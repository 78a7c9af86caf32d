import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changeOfSupplier,
  cosSucceeded,
  registeredSupplierName,
  supplierOfLastResort,
} from '../../harness/stack/churn-operations.js';
import type { SimStack } from '../../harness/stack/sim-stack.js';
import { code, esme, startChurnStack, supplierOnDevice } from './churn-fixture.js';

/**
 * The churn invariant (issue 5): after any sequence of Change of Supplier and Supplier of Last
 * Resort events, exactly one supplier can command each device, and it is the one the registration
 * data names — checked at the DCC (I0 for it, E4 for every other) and at the device (its Supplier
 * trust anchor cells name it, and nobody else's).
 */
const SUPPLIERS = ['supplier-a', 'supplier-b', 'supplier-c'] as const;
const DEVICES = [esme(1), esme(2), esme(3)];

type ChurnCommand =
  | { readonly kind: 'cos'; readonly device: number; readonly to: (typeof SUPPLIERS)[number] }
  | {
      readonly kind: 'solr';
      readonly failed: (typeof SUPPLIERS)[number];
      readonly to: (typeof SUPPLIERS)[number];
    };

const supplier = fc.constantFrom(...SUPPLIERS);
const command: fc.Arbitrary<ChurnCommand> = fc.oneof(
  fc.record({
    kind: fc.constant('cos' as const),
    device: fc.integer({ min: 0, max: DEVICES.length - 1 }),
    to: supplier,
  }),
  fc.record({ kind: fc.constant('solr' as const), failed: supplier, to: supplier }),
);

describe('property: one supplier per device after any churn', () => {
  let stack: SimStack;
  beforeAll(async () => {
    stack = await startChurnStack('churn-property', DEVICES);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('exactly one supplier can command each device, and it is the registered one (DCC: E4 for the others; device: trust anchors)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 5 }), async (commands) => {
        // The model: who should hold each device, from the state the previous run left.
        const model = DEVICES.map((d) => registeredSupplierName(stack, d.eui) as string);
        for (const c of commands) {
          if (c.kind === 'cos') {
            const device = DEVICES[c.device] as (typeof DEVICES)[number];
            if (model[c.device] === c.to) continue;
            expect(cosSucceeded(await changeOfSupplier(stack, device.eui, c.to).final)).toBe(true);
            model[c.device] = c.to;
          } else {
            if (c.failed === c.to) continue;
            const result = await supplierOfLastResort(stack, c.failed, c.to, (p) => p, {
              keepFailedUserActive: true,
            });
            expect([...result.outcomes.values()].every(cosSucceeded)).toBe(true);
            for (const [i, holder] of model.entries()) if (holder === c.failed) model[i] = c.to;
          }
          await stack.settle();
        }
        for (const [i, device] of DEVICES.entries()) {
          const holder = model[i] as string;
          expect(registeredSupplierName(stack, device.eui), device.id).toBe(holder);
          expect(stack.dcc.core.state.smi.get(device.eui)?.supplier, device.id).toBe(stack.user(holder).eui);
          expect(supplierOnDevice(stack, device.id), device.id).toBe(stack.user(holder).eui);
          const others = stack
            .device(device.id)
            .state.trustAnchors.filter(
              (cell) => cell.role === 'supplier' && cell.eui !== stack.user(holder).eui,
            );
          expect(others, device.id).toEqual([]);
          for (const name of SUPPLIERS) {
            const outcome = await stack.user(name).request({ srv: '11.2', target: device.eui }).final;
            expect(code(outcome), `${name} → ${device.id}`).toBe(name === holder ? 'I0' : 'E4');
          }
        }
      }),
      { seed: 42, numRuns: 15 },
    );
  });
});
