import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFirmwareReferences } from '../../../harness/scenario/firmware-references.js';
import { changeOfSupplier } from '../../../harness/stack/churn-operations.js';
import { DCC_EUI } from '../../../harness/stack/parties.js';
import type { SimStack } from '../../../harness/stack/sim-stack.js';
import { addCplEntry } from '../../../simulator/domain/dcc/trial-administration.js';
import { sscTrialReport } from '../../../simulator/domain/reports/ssc-trial-report.js';
import {
  body,
  code,
  commissionTrialDevice,
  EUI,
  esme,
  START,
  startChurnStack,
} from '../../support/churn-world.js';

/** Change of Supplier and firmware (OTA, future-dated activation) together (DCC.md §9, §10). */
const IMAGE = 'acme-e-trial-1.0.0';

async function certifyFirmware(stack: SimStack): Promise<void> {
  // SECAS lists firmware 1.0.0 for the trial hardware with its real CPA certificate.
  await stack.dcc.execute(
    addCplEntry(
      stack.dcc.core.state,
      {
        ...esme(1),
        firmwareVersion: '1.0.0',
        cpaCertificateReference: 'CPA-2027-0201',
        status: 'Active',
        imageHash: undefined,
      },
      stack.clock.now(),
    ),
  );
}

async function distribute(stack: SimStack, supplier: string, eui: string) {
  const body11 = await resolveFirmwareReferences('11.1', { firmwareImage: IMAGE, deviceIds: [eui] }, stack);
  return stack.user(supplier).request({ srv: '11.1', target: DCC_EUI, body: body11 }).final;
}

async function activate(stack: SimStack, supplier: string, eui: string, extra: Record<string, unknown> = {}) {
  const body11 = await resolveFirmwareReferences('11.3', { firmwareImage: IMAGE, ...extra }, stack);
  return stack.user(supplier).request({ srv: '11.3', target: eui as never, body: body11 }).final;
}

describe('the gaining supplier upgrades the trial device OTA', () => {
  const ESME = esme(1, { preinstalled: false });
  let stack: SimStack;
  beforeAll(async () => {
    stack = await startChurnStack('churn-ota', [ESME]);
    await commissionTrialDevice(stack, ESME);
    await certifyFirmware(stack);
    expect(body(await changeOfSupplier(stack, ESME.eui, 'supplier-b').final)).toMatchObject({
      status: 'success',
    });
    await stack.settle();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('E4 / screening - the losing supplier cannot distribute or activate firmware on the device', async () => {
    const a = await distribute(stack, 'supplier-a', ESME.eui);
    expect(code(a) === 'E4' || (body(a)?.distributedTo as unknown[] | undefined)?.length === 0).toBe(true);
    expect(code(await activate(stack, 'supplier-a', ESME.eui))).toBe('E4');
  });

  it('11.1 + 11.3 by supplier-b: the device runs CPA-certified firmware and leaves the trial, reported under supplier-b', async () => {
    const distributed = await distribute(stack, 'supplier-b', ESME.eui);
    expect(code(distributed)).toBe('I0');
    expect(body(distributed)).toMatchObject({ distributedTo: [ESME.eui] });
    await stack.settle();
    expect(
      stack.user('supplier-b').alerts.some((a) => a.alertCode === '0x8F8A' && a.deviceId === ESME.eui),
    ).toBe(true);
    const activated = await activate(stack, 'supplier-b', ESME.eui);
    expect(body(activated)).toMatchObject({ status: 'success', firmwareVersion: '1.0.0' });
    await stack.settle();
    expect(stack.dcc.core.state.smi.get(ESME.eui)).toMatchObject({
      firmwareVersion: '1.0.0',
      trialId: undefined,
      supplier: EUI.b,
    });
    const trial = sscTrialReport(stack.dcc.core.state, stack.clock.now()).trials[0];
    expect(trial?.upgraded).toBe(1);
    expect(trial?.devices.map((d) => [d.supplier, d.state])).toEqual([[EUI.b, 'upgraded']]);
  });
});

describe('CoS while firmware is on its way', () => {
  const ESME = esme(2);
  let stack: SimStack;
  beforeAll(async () => {
    stack = await startChurnStack('churn-ota-inflight', [ESME]);
    await certifyFirmware(stack);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('0x8F30 - an image supplier-a distributed that reaches the device only after the CoS is refused; supplier-b sends its own', async () => {
    // The image is held up on the WAN for 30 s; the CoS completes meanwhile.
    stack.faults.add({
      from: 'dcc',
      to: 'esme2',
      action: 'delay',
      count: 1,
      after: 0,
      probability: 1,
      delayMs: 30_000,
    });
    const distributed = await distribute(stack, 'supplier-a', ESME.eui);
    expect(code(distributed)).toBe('I0');
    expect(body(await changeOfSupplier(stack, ESME.eui, 'supplier-b').final)).toMatchObject({
      status: 'success',
    });
    await stack.advanceTo(stack.clock.now() + 30_000);
    // The transfer was supplier-a's command: its Supplier cells are gone, so it has no authority.
    expect(stack.device('esme2').outcomes.at(-1)).toBe('0x8F30');
    expect(stack.device('esme2').state.firmware.held).toBeUndefined();
    expect(code(await activate(stack, 'supplier-a', ESME.eui))).toBe('E4');
    expect(code(await distribute(stack, 'supplier-b', ESME.eui))).toBe('I0');
    await stack.settle();
    expect(body(await activate(stack, 'supplier-b', ESME.eui))).toMatchObject({
      status: 'success',
      firmwareVersion: '1.0.0',
    });
  });
});

describe('CoS while a future-dated activation is pending', () => {
  const ESME = esme(3);
  let stack: SimStack;
  beforeAll(async () => {
    stack = await startChurnStack('churn-ota-future', [ESME]);
    await certifyFirmware(stack);
    expect(code(await distribute(stack, 'supplier-a', ESME.eui))).toBe('I0');
    await stack.settle();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it("TRIALS.md - the losing supplier's stored 11.3 is cancelled by the CoS (0x8F67 to the gaining supplier) and never runs", async () => {
    const tomorrow = new Date(START + 86_400_000).toISOString();
    const stored = await activate(stack, 'supplier-a', ESME.eui, { executionDateTime: tomorrow });
    expect(body(stored)).toMatchObject({ status: 'commandAccepted' });
    expect(stack.device('esme3').state.firmware.futureDated).toBeDefined();
    expect(body(await changeOfSupplier(stack, ESME.eui, 'supplier-b').final)).toMatchObject({
      status: 'success',
    });
    await stack.settle();
    expect(stack.device('esme3').state.firmware.futureDated).toBeUndefined();
    const cancelled = stack.user('supplier-b').alerts.find((a) => a.alertCode === '0x8F67');
    // GBCS.md §7.7: 0x00CA's ExecutionOutcome has no "cancelled"; not actioned is activationFailure,
    // naming the stored command by its counter, with the firmware still running.
    expect(cancelled?.details).toMatchObject({
      status: 'activationFailure',
      firmwareVersion: '0.9.0',
      commandCounter: expect.any(Number),
    });
    await stack.advanceTo(START + 2 * 86_400_000);
    expect(stack.device('esme3').state.firmwareVersion).toBe('0.9.0');
  });

  it('the gaining supplier schedules its own activation, which runs', async () => {
    const when = new Date(stack.clock.now() + 3_600_000).toISOString();
    expect(body(await activate(stack, 'supplier-b', ESME.eui, { executionDateTime: when }))).toMatchObject({
      status: 'commandAccepted',
    });
    await stack.advanceTo(stack.clock.now() + 2 * 3_600_000);
    expect(stack.device('esme3').state.firmwareVersion).toBe('1.0.0');
    expect(stack.dcc.core.state.smi.get(ESME.eui)?.firmwareVersion).toBe('1.0.0');
  });
});
