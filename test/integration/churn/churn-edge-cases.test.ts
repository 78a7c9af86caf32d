import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeOfSupplier, feedRegistration } from '../../../harness/stack/churn-operations.js';
import { DCC_EUI } from '../../../harness/stack/parties.js';
import type { SimStack } from '../../../harness/stack/sim-stack.js';
import { setCplStatus } from '../../../simulator/domain/dcc/trial-administration.js';
import type { Eui } from '../../../simulator/domain/eui.js';
import { decodeGbcsMessage } from '../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import type { GbcsFrame } from '../../../simulator/domain/messages/gbcs-messages.js';
import { sscTrialReport } from '../../../simulator/domain/reports/ssc-trial-report.js';
import {
  body,
  code,
  commissionTrialDevice,
  EUI,
  esme,
  rekeyBody,
  startChurnStack,
  supplierOnDevice,
} from '../../support/churn-world.js';

/** Change of Supplier edge cases over the embedded broker (DCC.md §9). */

/** Records every frame the DCC puts on the WAN, as a WAN eavesdropper would. */
function captureWan(stack: SimStack): { device: Eui; frame: GbcsFrame }[] {
  const captured: { device: Eui; frame: GbcsFrame }[] = [];
  const execute = stack.dcc.execute.bind(stack.dcc);
  stack.dcc.execute = (effects) => {
    for (const effect of effects) {
      if (effect.type === 'toDevice') captured.push({ device: effect.device, frame: effect.frame });
    }
    return execute(effects);
  };
  return captured;
}

/** Puts a captured frame back on the device's WAN link, and returns what the device made of it. */
async function replay(stack: SimStack, id: string, frame: GbcsFrame): Promise<string | undefined> {
  const node = stack.device(id);
  const before = node.outcomes.length;
  await stack.dcc.execute([{ type: 'toDevice', device: stack.deviceSpec(id).eui, frame }]);
  await stack.settle();
  expect(node.outcomes.length).toBe(before + 1);
  return node.outcomes.at(-1);
}

describe('two CoS in a row, then back to the original supplier', () => {
  const ESME = esme(1);
  let stack: SimStack;
  let wan: { device: Eui; frame: GbcsFrame }[];
  let oldCritical: GbcsFrame;
  let oldNonCritical: GbcsFrame;
  beforeAll(async () => {
    stack = await startChurnStack('churn-edge-back', [ESME]);
    wan = captureWan(stack);
    // Two commands supplier-a sends while it holds the device, captured on the WAN.
    const a = stack.user('supplier-a');
    expect(code(await a.request({ srv: '11.2', target: ESME.eui }).final)).toBe('I0');
    const rekey = await a.request({
      srv: '6.15.1',
      target: ESME.eui,
      body: await rekeyBody(stack, 'supplier-a', 'supplierBySupplier'),
    }).final;
    expect(body(rekey)).toMatchObject({ status: 'success' });
    oldNonCritical = (wan.at(-2) as { frame: GbcsFrame }).frame;
    oldCritical = (wan.at(-1) as { frame: GbcsFrame }).frame;
    // GBCS.md §2.1: the critical command carries the User's signature inside the ACB's MAC header.
    expect(decodeGbcsMessage(oldCritical.apdu).apdu.signature.kind).toBe('signed');
    expect(decodeGbcsMessage(oldNonCritical.apdu).mac).not.toBeNull();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('anti-replay - a captured command replayed while its supplier still holds the device is refused (0x8F3E)', async () => {
    expect(await replay(stack, 'esme1', oldCritical)).toBe('0x8F3E');
  });

  it('CoS A → B → C: each 6.23 succeeds and only supplier-c is left on the device and at the DCC', async () => {
    expect(body(await changeOfSupplier(stack, ESME.eui, 'supplier-b').final)).toMatchObject({
      status: 'success',
    });
    expect(body(await changeOfSupplier(stack, ESME.eui, 'supplier-c').final)).toMatchObject({
      status: 'success',
    });
    await stack.settle();
    expect(supplierOnDevice(stack, 'esme1')).toBe(EUI.c);
    expect(stack.dcc.core.state.smi.get(ESME.eui)?.supplier).toBe(EUI.c);
    for (const loser of ['supplier-a', 'supplier-b']) {
      expect(code(await stack.user(loser).request({ srv: '11.2', target: ESME.eui }).final), loser).toBe(
        'E4',
      );
    }
    expect(code(await stack.user('supplier-c').request({ srv: '11.2', target: ESME.eui }).final)).toBe('I0');
  });

  it("0x8F3D / 0x8F30 - the losing supplier's captured commands are refused by the device once its cells are gone", async () => {
    // Critical: no Supplier trust anchor names supplier-a any more.
    expect(await replay(stack, 'esme1', oldCritical)).toBe('0x8F3D');
    // Non-critical: the ACB MAC still verifies, but supplier-a has no authority on the device.
    expect(await replay(stack, 'esme1', oldNonCritical)).toBe('0x8F30');
  });

  it('CoS back to supplier-a: its new commands work, and the counter floor still stops replays of its old ones (0x8F3E)', async () => {
    expect(body(await changeOfSupplier(stack, ESME.eui, 'supplier-a').final)).toMatchObject({
      status: 'success',
    });
    await stack.settle();
    expect(supplierOnDevice(stack, 'esme1')).toBe(EUI.a);
    const state = stack.device('esme1').state;
    // The device forgot supplier-a's last counter when its cells went; only the floor remains.
    expect(state.lastCounters[EUI.a]).toBeUndefined();
    expect(state.counterFloors[EUI.a]).toBeGreaterThan(0);
    expect(await replay(stack, 'esme1', oldCritical)).toBe('0x8F3E');
    expect(await replay(stack, 'esme1', oldNonCritical)).toBe('0x8F3E');
    expect(supplierOnDevice(stack, 'esme1')).toBe(EUI.a);
    expect(code(await stack.user('supplier-a').request({ srv: '11.2', target: ESME.eui }).final)).toBe('I0');
    for (const loser of ['supplier-b', 'supplier-c']) {
      expect(code(await stack.user(loser).request({ srv: '11.2', target: ESME.eui }).final), loser).toBe(
        'E4',
      );
    }
  });

  it('anti-replay - a CoS command held up on the WAN past a later CoS is refused as stale (0x8F3E) and changes nothing', async () => {
    // supplier-b's CS02b (naming supplier-a as the one replaced) is delayed on the WAN; meanwhile
    // the registration moves on to supplier-c, whose CoS completes first.
    stack.faults.add({
      from: 'dcc',
      to: 'esme1',
      action: 'delay',
      count: 1,
      after: 0,
      probability: 1,
      delayMs: 30_000,
    });
    const late = changeOfSupplier(stack, ESME.eui, 'supplier-b');
    expect((await late.firstResponse).responseCode).toBe('I99');
    await stack.advanceTo(stack.clock.now() + 1_000);
    expect(body(await changeOfSupplier(stack, ESME.eui, 'supplier-c').final)).toMatchObject({
      status: 'success',
    });
    await stack.advanceTo(stack.clock.now() + 30_000);
    // The CoS party's counter moved on with supplier-c's command (and that command's target cell
    // no longer holds supplier-a either: trustAnchorNotFound, see credential-replacement.test.ts).
    expect(code(await late.final)).toBe('0x8F3E');
    await stack.settle();
    expect(supplierOnDevice(stack, 'esme1')).toBe(EUI.c);
    expect(stack.dcc.core.state.smi.get(ESME.eui)?.supplier).toBe(EUI.c);
    expect(code(await stack.user('supplier-b').request({ srv: '11.2', target: ESME.eui }).final)).toBe('E4');
  });
});

describe('CoS of a Suspended trial device; trial obligations move with it', () => {
  const ESME = esme(2, { preinstalled: false });
  let stack: SimStack;
  beforeAll(async () => {
    stack = await startChurnStack('churn-edge-suspended', [ESME]);
    await commissionTrialDevice(stack, ESME);
    await stack.dcc.execute(
      setCplStatus(
        stack.dcc.core.state,
        (e) => e.cpaCertificateReference === 'TRIAL-SSC-0001',
        'Cancelled',
        stack.clock.now(),
      ),
    );
    await stack.settle();
    expect(stack.dcc.core.state.smi.get(ESME.eui)?.status).toBe('Suspended');
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('6.23 - a Suspended device changes supplier and stays Suspended, still on its trial', async () => {
    expect(body(await changeOfSupplier(stack, ESME.eui, 'supplier-b').final)).toMatchObject({
      status: 'success',
    });
    await stack.settle();
    const record = stack.dcc.core.state.smi.get(ESME.eui);
    expect(record).toMatchObject({ status: 'Suspended', supplier: EUI.b, trialId: 'T-0001' });
    expect(supplierOnDevice(stack, 'esme2')).toBe(EUI.b);
  });

  it('SSC report - the trial device is reported under the gaining supplier', () => {
    const trial = sscTrialReport(stack.dcc.core.state, stack.clock.now()).trials[0];
    expect(trial?.bySupplier).toEqual({ [EUI.b]: 1 });
    expect(trial?.devices.map((d) => d.supplier)).toEqual([EUI.b]);
  });

  it('E4 / I0 - the losing supplier cannot read the Suspended device; the gaining one can (11.2 is exempt from E5)', async () => {
    expect(code(await stack.user('supplier-a').request({ srv: '11.2', target: ESME.eui }).final)).toBe('E4');
    expect(code(await stack.user('supplier-b').request({ srv: '11.2', target: ESME.eui }).final)).toBe('I0');
  });

  it('TRIALS.md - the gaining supplier meets the end-of-trial obligation by removing the device (8.3)', async () => {
    expect(
      code(
        await stack.user('supplier-a').request({ srv: '8.3', target: DCC_EUI, body: { deviceId: ESME.eui } })
          .final,
      ),
    ).toBe('E4');
    expect(
      code(
        await stack.user('supplier-b').request({ srv: '8.3', target: DCC_EUI, body: { deviceId: ESME.eui } })
          .final,
      ),
    ).toBe('I0');
    await stack.settle();
    expect(stack.dcc.core.state.trials.get('T-0001')?.removed.has(ESME.eui)).toBe(true);
    const trial = sscTrialReport(stack.dcc.core.state, stack.clock.now()).trials[0];
    expect(trial?.removed).toBe(1);
    expect(trial?.inField).toBe(0);
  });
});

describe('a CoS the device never confirms', () => {
  const ESME = esme(3);
  let stack: SimStack;
  beforeAll(async () => {
    stack = await startChurnStack('churn-edge-e21', [ESME]);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('E21 - the 6.23 times out and the DCC changes nothing; the retried 6.23 completes the switch', async () => {
    stack.faults.add({
      from: 'dcc',
      to: 'esme3',
      action: 'drop',
      count: 1,
      after: 0,
      probability: 1,
      delayMs: 0,
    });
    const lost = changeOfSupplier(stack, ESME.eui, 'supplier-b');
    expect((await lost.firstResponse).responseCode).toBe('I99');
    await stack.advanceTo(stack.clock.now() + 61_000);
    expect(code(await lost.final)).toBe('E21');
    // The credentials on the device are still supplier-a's, and so is the SMI's view of it.
    expect(supplierOnDevice(stack, 'esme3')).toBe(EUI.a);
    expect(stack.dcc.core.state.smi.get(ESME.eui)?.supplier).toBe(EUI.a);
    expect(stack.user('supplier-a').alerts.some((a) => a.alert === 'ChangeOfSupplier')).toBe(false);
    // supplier-a is no longer registered, supplier-b not yet in charge: nobody can command it.
    expect(code(await stack.user('supplier-a').request({ srv: '11.2', target: ESME.eui }).final)).toBe('E4');
    expect(code(await stack.user('supplier-b').request({ srv: '11.2', target: ESME.eui }).final)).toBe('E4');
    expect(
      body(await stack.user('supplier-b').request({ srv: '6.23', target: ESME.eui }).final),
    ).toMatchObject({
      status: 'success',
    });
    await stack.settle();
    expect(supplierOnDevice(stack, 'esme3')).toBe(EUI.b);
    expect(code(await stack.user('supplier-b').request({ srv: '11.2', target: ESME.eui }).final)).toBe('I0');
  });
});

describe('6.23 body: certificates and floor', () => {
  const ESME = esme(4);
  let stack: SimStack;
  beforeAll(async () => {
    stack = await startChurnStack('churn-edge-body', [ESME]);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it("E12 COS-CERTIFICATE - 6.23 naming certificates that are not the gaining supplier's changes nothing", async () => {
    const notMine = stack.pki.organisation('supplier-c').ds.serialNumber;
    feedRegistrationNow(stack, ESME.eui, 'supplier-b');
    const outcome = await stack
      .user('supplier-b')
      .request({ srv: '6.23', target: ESME.eui, body: { dsCertificateSerial: notMine } }).final;
    expect(code(outcome)).toBe('E12');
    expect(outcome.kind === 'response' && outcome.response.rule).toBe('COS-CERTIFICATE');
    expect(supplierOnDevice(stack, 'esme4')).toBe(EUI.a);
  });

  it('floorSequenceNumber - the floor the gaining supplier asks for is the one the device enforces', async () => {
    const b = stack.user('supplier-b');
    const serials = {
      dsCertificateSerial: stack.pki.organisation('supplier-b').ds.serialNumber,
      kaCertificateSerial: stack.pki.organisation('supplier-b').ka.serialNumber,
    };
    const outcome = await b.request({
      srv: '6.23',
      target: ESME.eui,
      body: { ...serials, floorSequenceNumber: 1_000 },
    }).final;
    expect(body(outcome)).toMatchObject({ status: 'success' });
    await stack.settle();
    expect(stack.device('esme4').state.counterFloors[EUI.b]).toBe(1_000);
    // supplier-b's next RequestID counters are far below 1000: the device refuses them (0x8F3E)
    // until the supplier's counter reaches its own floor.
    expect(code(await b.request({ srv: '11.2', target: ESME.eui }).final)).toBe('0x8F3E');
    expect(code(await b.request({ srv: '11.2', target: ESME.eui, counter: 1_000 }).final)).toBe('I0');
  });
});

function feedRegistrationNow(stack: SimStack, device: Eui, supplier: string): void {
  feedRegistration(stack, device, 'supplier', supplier, stack.clock.now(), 'CoS');
}
