import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedRegistration } from '../../../harness/stack/churn-operations.js';
import type { SimStack } from '../../../harness/stack/sim-stack.js';
import { code, EUI, esme, START, startChurnStack, supplierOnDevice } from '../../support/churn-world.js';

/**
 * A future-dated Change of Supplier (DCC.md §9, policy `cos.futureDated`): the gaining supplier
 * sends its 6.23 ahead of its supply start date with that date as the execution date-time. The
 * DCC judges the registration at that date-time, answers I99, holds the 6.23, and at the supply
 * start date its CoS party replaces the Supplier cells: the device answers then (I0).
 */
const DAY = 86_400_000;
const SUPPLY_START = START + 2 * DAY;
const iso = (ms: number) => new Date(ms).toISOString();

describe('future-dated 6.23 executes at the supply start date', () => {
  let stack: SimStack;
  beforeAll(async () => {
    stack = await startChurnStack('churn-cos-future', [esme(1), esme(2), esme(3)]);
    for (const n of [1, 2, 3])
      feedRegistration(stack, esme(n).eui, 'supplier', 'supplier-b', SUPPLY_START, 'CoS');
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('COS-FUTURE-DATED - a 6.23 dated to the supply start date is accepted (I99) and held; the losing supplier keeps the device until then', async () => {
    const handle = stack.user('supplier-b').request({
      srv: '6.23',
      target: esme(1).eui,
      body: { executionDateTime: iso(SUPPLY_START) },
    });
    const first = await handle.firstResponse;
    expect(first.responseCode).toBe('I99');
    expect(first.body).toMatchObject({ executionDateTime: iso(SUPPLY_START) });
    await stack.advanceTo(SUPPLY_START - 60_000);
    await stack.settle();
    expect(supplierOnDevice(stack, 'esme1')).toBe(EUI.a);
    expect(handle.responses.map((r) => r.responseCode)).toEqual(['I99']);
    expect(code(await stack.user('supplier-a').request({ srv: '11.2', target: esme(1).eui }).final)).toBe(
      'I0',
    );

    await stack.advanceTo(SUPPLY_START);
    const outcome = await handle.final;
    expect(code(outcome)).toBe('I0');
    expect(handle.responses.map((r) => r.responseCode)).toEqual(['I99', 'I0']);
    await stack.settle();
    expect(supplierOnDevice(stack, 'esme1')).toBe(EUI.b);
    const state = stack.dcc.core.state;
    expect(state.smi.get(esme(1).eui)?.supplier).toBe(EUI.b);
    expect(state.outcomes.find((o) => o.requestId === handle.requestId)).toMatchObject({
      outcome: 'I0',
      requestedAt: SUPPLY_START,
    });
    expect(code(await stack.user('supplier-a').request({ srv: '11.2', target: esme(1).eui }).final)).toBe(
      'E4',
    );
    expect(code(await stack.user('supplier-b').request({ srv: '11.2', target: esme(1).eui }).final)).toBe(
      'I0',
    );
  });

  it('COS-FUTURE-DATED E4 - a 6.23 dated before the gaining supplier’s supply start date is refused at once', async () => {
    const outcome = await stack.user('supplier-c').request({
      srv: '6.23',
      target: esme(2).eui,
      body: { executionDateTime: iso(SUPPLY_START + DAY) },
    }).final;
    expect(code(outcome)).toBe('E4');
    const early = await stack.user('supplier-b').request({
      srv: '6.23',
      target: esme(3).eui,
      body: { executionDateTime: iso(stack.clock.now() - DAY) },
    }).final;
    // A date-time already past is the future-dated timeout (E30), not a CoS.
    expect(code(early)).toBe('E30');
  });

  it('COS-FUTURE-DATED E4 at execution - a held 6.23 whose registration moved away before its date ends in E4 and changes nothing', async () => {
    const at = SUPPLY_START + 5 * DAY;
    const handle = stack.user('supplier-b').request({
      srv: '6.23',
      target: esme(2).eui,
      body: { executionDateTime: iso(at) },
    });
    expect((await handle.firstResponse).responseCode).toBe('I99');
    // The registration feed now gives the metering point to supplier-c from that date instead.
    feedRegistration(stack, esme(2).eui, 'supplier', 'supplier-c', at - 60_000, 'CoS');
    await stack.advanceTo(at);
    const outcome = await handle.final;
    expect(code(outcome)).toBe('E4');
    expect(outcome.kind === 'response' && outcome.response.reason).toMatch(/at its execution date-time/);
    await stack.settle();
    expect(supplierOnDevice(stack, 'esme2')).toBe(EUI.a);
    expect(stack.dcc.core.state.futureDatedCoS.size).toBe(0);
  });

  it('COS-FUTURE-DATED cancellation - a 6.23 dated 9999-12-31T23:59:59Z cancels the one its User has held for the device; it never runs', async () => {
    const at = SUPPLY_START + 10 * DAY;
    const held = stack.user('supplier-b').request({
      srv: '6.23',
      target: esme(3).eui,
      body: { executionDateTime: iso(at) },
    });
    expect((await held.firstResponse).responseCode).toBe('I99');
    const cancel = () =>
      stack.user('supplier-b').request({
        srv: '6.23',
        target: esme(3).eui,
        body: { executionDateTime: '9999-12-31T23:59:59Z' },
      }).final;
    const cancelled = await cancel();
    expect(code(cancelled)).toBe('I0');
    expect(cancelled.kind === 'response' && cancelled.response.body).toEqual({
      cancelledRequestIds: [held.requestId],
    });
    expect(stack.dcc.core.state.futureDatedCoS.size).toBe(0);
    await stack.advanceTo(at + DAY);
    await stack.settle();
    expect(supplierOnDevice(stack, 'esme3')).toBe(EUI.a);
    expect(held.responses.map((r) => r.responseCode)).toEqual(['I99']);
    // Nothing left to cancel: refused, never a silent I0.
    const again = await cancel();
    expect(code(again)).toBe('E12');
    expect(again.kind === 'response' && again.response.rule).toBe('COS-NOTHING-TO-CANCEL');
  });
});
