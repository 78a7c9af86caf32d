import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedRegistration } from '../../../harness/stack/churn-operations.js';
import { DCC_EUI } from '../../../harness/stack/parties.js';
import type { SimStack } from '../../../harness/stack/sim-stack.js';
import { registrationHistory } from '../../../simulator/domain/registration/registration.js';
import {
  body,
  code,
  EUI,
  esme,
  rekeyBody,
  START,
  startChurnStack,
  supplierOnDevice,
} from '../../support/churn-world.js';

/** Change of Supplier end to end over the embedded broker (DCC.md §9). */
const ESME = esme(1);
const DAY = 86_400_000;

describe('Change of Supplier: supplier-a → supplier-b', () => {
  let stack: SimStack;
  beforeAll(async () => {
    stack = await startChurnStack('churn-cos', [ESME]);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('E4 - a supplier the registration data does not name may not send 6.23', async () => {
    const outcome = await stack.user('supplier-c').request({ srv: '6.23', target: ESME.eui }).final;
    expect(code(outcome)).toBe('E4');
    expect(outcome.kind === 'response' && outcome.response.reason).toMatch(/not the supplier registered/);
  });

  it('E4 - the supplier holding the device may not send 6.23 to itself', async () => {
    const outcome = await stack.user('supplier-a').request({ srv: '6.23', target: ESME.eui }).final;
    expect(code(outcome)).toBe('E4');
  });

  it('E4 - a future-dated registration does not let the gaining supplier in before its supply start date', async () => {
    feedRegistration(stack, ESME.eui, 'supplier', 'supplier-b', START + DAY, 'CoS');
    expect(code(await stack.user('supplier-b').request({ srv: '6.23', target: ESME.eui }).final)).toBe('E4');
    expect(code(await stack.user('supplier-a').request({ srv: '11.2', target: ESME.eui }).final)).toBe('I0');
  });

  it('E4 - once the registration moves, the losing supplier is refused and the gaining one may send only 6.23', async () => {
    await stack.advanceTo(START + DAY);
    expect(code(await stack.user('supplier-a').request({ srv: '11.2', target: ESME.eui }).final)).toBe('E4');
    const early = await stack.user('supplier-b').request({ srv: '11.2', target: ESME.eui }).final;
    expect(code(early)).toBe('E4');
    expect(early.kind === 'response' && early.response.reason).toMatch(
      /Change of Supplier \(6\.23\) has not completed/,
    );
  });

  it('DCC.md §9 - 6.23: I99, the CoS party replaces the Supplier cells (status 0 each), then I0', async () => {
    const handle = stack.user('supplier-b').request({ srv: '6.23', target: ESME.eui });
    const outcome = await handle.final;
    expect(handle.responses.map((r) => r.responseCode)).toEqual(['I99', 'I0']);
    expect(body(outcome)).toMatchObject({
      status: 'success',
      replacementMode: 'supplierByTransCoS',
      results: [
        { role: 'supplier', keyUsage: 'digitalSignature', eui: EUI.b, status: 0 },
        { role: 'supplier', keyUsage: 'keyAgreement', eui: EUI.b, status: 0 },
      ],
    });
    await stack.settle();
    expect(supplierOnDevice(stack, 'esme1')).toBe(EUI.b);
    const device = stack.device('esme1').state;
    // The floor is the 6.23's RequestID counter; the losing supplier's counter state is gone.
    const counter = Number(handle.requestId.split(':')[2]);
    expect(device.counterFloors[EUI.b]).toBe(counter);
    expect(device.lastCounters[EUI.a]).toBeUndefined();
    expect(device.securityLog.map((e) => e.code)).toContain('0x8F70');
  });

  it('DCC.md §9 - the SMI and the registration data name supplier-b; both suppliers hear ChangeOfSupplier and SecurityCredentialsUpdated', () => {
    const state = stack.dcc.core.state;
    expect(state.smi.get(ESME.eui)?.supplier).toBe(EUI.b);
    expect(registrationHistory(state.registration, ESME.eui, 'supplier').map((p) => p.party)).toEqual([
      EUI.a,
      EUI.b,
    ]);
    for (const name of ['supplier-a', 'supplier-b']) {
      const alerts = stack
        .user(name)
        .alerts.filter((a) => a.deviceId === ESME.eui)
        .map((a) => a.alert);
      expect(alerts, name).toContain('ChangeOfSupplier');
      expect(alerts, name).toContain('SecurityCredentialsUpdated');
    }
    const cos = stack.user('supplier-b').alerts.find((a) => a.alert === 'ChangeOfSupplier');
    expect(cos?.details).toMatchObject({ gainingSupplier: EUI.b, losingSupplier: EUI.a });
  });

  it('0x8F70 - the device acknowledges the credential update with an alert the DCC relays to the gaining supplier', () => {
    const relayed = stack
      .user('supplier-b')
      .alerts.filter((a) => a.alert === 'DeviceAlert' && a.alertCode === '0x8F70' && a.deviceId === ESME.eui);
    expect(relayed).toHaveLength(1);
    expect(stack.user('supplier-a').alerts.some((a) => a.alertCode === '0x8F70')).toBe(false);
  });

  it('E4 - after the CoS the losing supplier is refused at the DCC for every SRV', async () => {
    const a = stack.user('supplier-a');
    for (const srv of ['11.2', '4.1.1', '6.13']) {
      expect(code(await a.request({ srv, target: ESME.eui }).final), srv).toBe('E4');
    }
    expect(code(await a.request({ srv: '8.3', target: DCC_EUI, body: { deviceId: ESME.eui } }).final)).toBe(
      'E4',
    );
  });

  it('the gaining supplier runs the device: 11.2, 4.1.1 and 6.13 answer I0', async () => {
    const b = stack.user('supplier-b');
    const version = await b.request({ srv: '11.2', target: ESME.eui }).final;
    expect(code(version)).toBe('I0');
    expect(body(version)).toMatchObject({ firmwareVersion: '0.9.0' });
    expect(code(await b.request({ srv: '4.1.1', target: ESME.eui }).final)).toBe('I0');
    const log = await b.request({ srv: '6.13', target: ESME.eui, body: { log: 'security' } }).final;
    expect(code(log)).toBe('I0');
  });

  it('0x8F3D - a critical command signed with the losing supplier key is refused by the device', async () => {
    // What an attacker holding supplier-a's key could get to the device through the DCC: the
    // device checks the signature against its Supplier trust anchor, now supplier-b's.
    const outcome = await stack.user('supplier-b').request({
      srv: '6.15.1',
      target: ESME.eui,
      body: await rekeyBody(stack, 'supplier-b', 'supplierBySupplier'),
      signing: { signWith: stack.pki.organisation('supplier-a').ds.keys.privateKey },
    }).final;
    expect(code(outcome)).toBe('0x8F3D');
    expect(supplierOnDevice(stack, 'esme1')).toBe(EUI.b);
    expect(stack.device('esme1').state.securityLog.map((e) => e.code)).toContain('0x8F3D');
  });

  it('8.3 - the gaining supplier decommissions the device; the losing supplier hears nothing of it', async () => {
    const outcome = await stack.user('supplier-b').request({ srv: '8.3', body: { deviceId: ESME.eui } })
      .final;
    expect(code(outcome)).toBe('I0');
    await stack.settle();
    expect(stack.dcc.core.state.smi.get(ESME.eui)?.status).toBe('Decommissioned');
    const decommissioned = (name: string) =>
      stack.user(name).alerts.some((a) => a.alert === 'MeterDecommissioningOrWithdrawal');
    expect(decommissioned('supplier-b')).toBe(true);
    expect(decommissioned('supplier-a')).toBe(false);
  });

  it('every service request ended in exactly one recorded outcome', () => {
    const outcomes = stack.dcc.core.state.outcomes;
    expect(new Set(outcomes.map((o) => o.requestId)).size).toBe(outcomes.length);
    expect(stack.dcc.core.state.pending.size).toBe(0);
  });
});
