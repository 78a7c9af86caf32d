import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cosSucceeded,
  type SolrResult,
  supplierOfLastResort,
} from '../../../harness/stack/churn-operations.js';
import type { SimStack } from '../../../harness/stack/sim-stack.js';
import { appointSupplierOfLastResort } from '../../../simulator/domain/churn/supplier-of-last-resort.js';
import { CHF, code, EUI, esme, startChurnStack, supplierOnDevice } from '../../support/churn-world.js';

/** Supplier of Last Resort: a failed supplier's devices move in one batch (TRIALS.md "Change of Supplier during a trial"). */
const A_DEVICES = [esme(1), esme(2), esme(3)];
const B_DEVICE = esme(4, { supplier: 'supplier-b' });
const wait = <T>(promise: Promise<T>) => promise;

describe('Supplier of Last Resort: supplier-a fails, supplier-c takes over', () => {
  let stack: SimStack;
  let result: SolrResult;
  beforeAll(async () => {
    stack = await startChurnStack('churn-solr', [...A_DEVICES, B_DEVICE]);
    result = await supplierOfLastResort(stack, 'supplier-a', 'supplier-c', wait);
    await stack.settle();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('SoLR - every live device of the failed supplier gets a 6.23 from the SoLR, all sent in one batch', () => {
    expect([...result.appointment.changeOfSupplier].sort()).toEqual(A_DEVICES.map((d) => d.eui).sort());
    expect([...result.outcomes.values()].every(cosSucceeded)).toBe(true);
    // One batch: all three 6.23s were in the DCC's hands before the first device answered.
    const summaries = stack.trace.all().map((e) => e.summary);
    const requests = summaries.flatMap((s, i) => (/^SR 6\.23 /.test(s) ? [i] : []));
    const firstAnswer = summaries.findIndex((s) => /GBCS response \S+ 0x0107/.test(s)); // CS02b supplierByTransCoS
    expect(requests).toHaveLength(3);
    expect(result.appointment.movedInSmi).toEqual([CHF.eui]);
    expect((requests[2] as number) < firstAnswer).toBe(true);
  });

  it('SoLR - the devices carry supplier-c on the device, in the SMI and in the registration data', () => {
    for (const device of A_DEVICES) {
      expect(supplierOnDevice(stack, device.id), device.id).toBe(EUI.c);
      expect(stack.dcc.core.state.smi.get(device.eui)?.supplier, device.id).toBe(EUI.c);
    }
  });

  it("SoLR - another supplier's device is untouched", () => {
    expect(supplierOnDevice(stack, B_DEVICE.id)).toBe(EUI.b);
    expect(stack.dcc.core.state.smi.get(B_DEVICE.eui)?.supplier).toBe(EUI.b);
  });

  it('E3 - the failed supplier is suspended as a DCC User; E4 for the others', async () => {
    expect(code(await stack.user('supplier-a').request({ srv: '11.2', target: esme(1).eui }).final)).toBe(
      'E3',
    );
    expect(code(await stack.user('supplier-b').request({ srv: '11.2', target: esme(1).eui }).final)).toBe(
      'E4',
    );
    expect(code(await stack.user('supplier-c').request({ srv: '11.2', target: esme(1).eui }).final)).toBe(
      'I0',
    );
  });

  it('SoLR - refused when the SoLR is not an active supplier, or is the failed supplier itself', () => {
    const state = stack.dcc.core.state;
    expect(appointSupplierOfLastResort(state, EUI.b, EUI.a, stack.clock.now())).toMatchObject({
      ok: false,
      rule: 'SOLR-PARTY',
    });
    expect(appointSupplierOfLastResort(state, EUI.b, EUI.b, stack.clock.now())).toMatchObject({ ok: false });
    expect(appointSupplierOfLastResort(state, EUI.b, EUI.no, stack.clock.now())).toMatchObject({ ok: false });
  });
});
