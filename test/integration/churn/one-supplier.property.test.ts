import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changeOfSupplier,
  cosSucceeded,
  feedRegistration,
  registeredSupplierName,
  supplierOfLastResort,
} from '../../../harness/stack/churn-operations.js';
import type { SimStack } from '../../../harness/stack/sim-stack.js';
import { code, esme, startChurnStack, supplierOnDevice } from '../../support/churn-world.js';

/**
 * The churn invariant (DCC.md §9): after any sequence of registration changes, Changes of Supplier
 * and Supplier of Last Resort events, at most one supplier can command each device — the one the
 * registration data names, once its CoS has completed — and exactly one whenever no CoS is half
 * done. Checked at the DCC (I0 for it, E4 for every other) and at the device (its Supplier trust
 * anchor cells name the supplier the SMI names, and nobody else).
 */
const SUPPLIERS = ['supplier-a', 'supplier-b', 'supplier-c'] as const;
type Supplier = (typeof SUPPLIERS)[number];
const DEVICES = [esme(1), esme(2), esme(3)];

type ChurnCommand =
  /** The registration feed alone: the CoS is not done yet. */
  | { readonly kind: 'register'; readonly device: number; readonly to: Supplier }
  /** Feed and 6.23 together: a complete CoS. */
  | { readonly kind: 'cos'; readonly device: number; readonly to: Supplier }
  /** The registered supplier completes a pending CoS with its 6.23. */
  | { readonly kind: 'complete'; readonly device: number }
  | { readonly kind: 'solr'; readonly failed: Supplier; readonly to: Supplier };

const supplier = fc.constantFrom(...SUPPLIERS);
const device = fc.integer({ min: 0, max: DEVICES.length - 1 });
const command: fc.Arbitrary<ChurnCommand> = fc.oneof(
  fc.record({ kind: fc.constant('register' as const), device, to: supplier }),
  fc.record({ kind: fc.constant('cos' as const), device, to: supplier }),
  fc.record({ kind: fc.constant('complete' as const), device }),
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

  it('at most one supplier can command each device, the registered one once its CoS is done (DCC: E4 for the others; device: trust anchors)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 6 }), async (commands) => {
        // The model, from the state the previous run left: who is registered, whose cells are on.
        const registered = DEVICES.map((d) => registeredSupplierName(stack, d.eui) as string);
        const holder = DEVICES.map(
          (d) =>
            stack.dcc.core.state.users.get(stack.dcc.core.state.smi.get(d.eui)?.supplier as never)
              ?.name as string,
        );
        const complete = async (i: number) => {
          const eui = (DEVICES[i] as (typeof DEVICES)[number]).eui;
          expect(
            cosSucceeded(
              await stack.user(registered[i] as string).request({ srv: '6.23', target: eui }).final,
            ),
          ).toBe(true);
          holder[i] = registered[i] as string;
        };
        for (const c of commands) {
          await stack.advanceTo(stack.clock.now() + 1_000);
          if (c.kind === 'register' || c.kind === 'cos') {
            const eui = (DEVICES[c.device] as (typeof DEVICES)[number]).eui;
            if (registered[c.device] !== c.to)
              feedRegistration(stack, eui, 'supplier', c.to, stack.clock.now(), 'CoS');
            registered[c.device] = c.to;
            if (c.kind === 'cos' && holder[c.device] !== c.to) {
              expect(cosSucceeded(await changeOfSupplier(stack, eui, c.to).final)).toBe(true);
              holder[c.device] = c.to;
            }
          } else if (c.kind === 'complete') {
            if (registered[c.device] !== holder[c.device]) await complete(c.device);
          } else if (c.failed !== c.to) {
            const result = await supplierOfLastResort(stack, c.failed, c.to, (p) => p, {
              keepFailedUserActive: true,
            });
            expect([...result.outcomes.values()].every(cosSucceeded)).toBe(true);
            for (const [i, who] of registered.entries()) {
              if (who !== c.failed) continue;
              registered[i] = c.to;
              holder[i] = c.to;
            }
          }
          await stack.settle();
        }
        for (const [i, d] of DEVICES.entries()) {
          const holding = stack.user(holder[i] as string).eui;
          expect(registeredSupplierName(stack, d.eui), d.id).toBe(registered[i]);
          expect(stack.dcc.core.state.smi.get(d.eui)?.supplier, d.id).toBe(holding);
          expect(supplierOnDevice(stack, d.id), d.id).toBe(holding);
          const others = stack
            .device(d.id)
            .state.trustAnchors.filter((cell) => cell.role === 'supplier' && cell.eui !== holding);
          expect(others, d.id).toEqual([]);
          let allowed = 0;
          for (const name of SUPPLIERS) {
            const outcome = await stack.user(name).request({ srv: '11.2', target: d.eui }).final;
            const may = name === registered[i] && name === holder[i];
            expect(code(outcome), `${name} → ${d.id}`).toBe(may ? 'I0' : 'E4');
            if (may) allowed++;
          }
          expect(allowed, d.id).toBe(registered[i] === holder[i] ? 1 : 0);
        }
      }),
      { seed: 42, numRuns: 20 },
    );
  });
});
