import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeOfSupplier } from '../../../harness/stack/churn-operations.js';
import type { SimStack } from '../../../harness/stack/sim-stack.js';
import { registerParty } from '../../../simulator/domain/dcc/registered-parties.js';
import { cellFor } from '../../../simulator/domain/device/trust-anchors.js';
import { parseEui } from '../../../simulator/domain/eui.js';
import type { SmiRecord } from '../../../simulator/domain/smi/smi-record.js';
import { deriveKeyPair } from '../../../simulator/domain/smki/key-pair.js';
import { body, code, EUI, esme, rekeyBody, startChurnStack } from '../../support/churn-world.js';

/** The network operator (ED) with its own credentials on the device (DCC.md §1, §2, §7). */
const ESME = esme(1);
const ROTATED = deriveKeyPair('network-operator-rotation', 'network-operator/ds/2');

describe('network operator (ED)', () => {
  let stack: SimStack;
  beforeAll(async () => {
    stack = await startChurnStack('churn-network-operator', [ESME]);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('ED may read: 4.1.1, 6.13 and 11.2 answer I0 through its Network Operator cells', async () => {
    const no = stack.user('network-operator');
    for (const [srv, extra] of [
      ['4.1.1', {}],
      ['6.13', { log: 'event' }],
      ['11.2', {}],
    ] as const) {
      const outcome = await no.request({ srv, target: ESME.eui, body: extra }).final;
      expect(code(outcome), srv).toBe('I0');
      expect(body(outcome)?.status, srv).toBe('success');
    }
  });

  it('E2 - ED may not decommission (8.3) or change supplier (6.23)', async () => {
    const no = stack.user('network-operator');
    expect(code(await no.request({ srv: '8.3', body: { deviceId: ESME.eui } }).final)).toBe('E2');
    expect(code(await no.request({ srv: '6.23', target: ESME.eui }).final)).toBe('E2');
  });

  it('127 - a supplier may not use networkOperatorByNetworkOperator, nor ED supplierBySupplier', async () => {
    const bySupplier = await stack.user('supplier-a').request({
      srv: '6.15.1',
      target: ESME.eui,
      body: await rekeyBody(stack, 'network-operator', 'networkOperatorByNetworkOperator', ROTATED),
    }).final;
    expect(body(bySupplier)).toMatchObject({ status: 'failure', results: [{ status: 127 }] });
    const byNo = await stack.user('network-operator').request({
      srv: '6.15.1',
      target: ESME.eui,
      body: await rekeyBody(stack, 'supplier-a', 'supplierBySupplier'),
    }).final;
    expect(body(byNo)).toMatchObject({ status: 'failure', results: [{ status: 127 }] });
    const cell = cellFor(stack.device('esme1').state.trustAnchors, 'networkOperator', 'digitalSignature');
    expect(cell?.publicKey).toEqual(stack.pki.organisation('network-operator').ds.keys.publicKey);
  });

  it('6.15.1 networkOperatorByNetworkOperator - ED replaces its own DS cell; its old key is refused afterwards (0x8F3D)', async () => {
    const no = stack.user('network-operator');
    const rotate = await no.request({
      srv: '6.15.1',
      target: ESME.eui,
      body: await rekeyBody(stack, 'network-operator', 'networkOperatorByNetworkOperator', ROTATED),
    }).final;
    expect(body(rotate)).toMatchObject({ status: 'success', results: [{ status: 0 }] });
    await stack.settle();
    const cell = cellFor(stack.device('esme1').state.trustAnchors, 'networkOperator', 'digitalSignature');
    expect(cell).toMatchObject({ eui: EUI.no, publicKey: ROTATED.publicKey });
    // The same command signed with the retired key is refused by the device.
    const stale = await no.request({
      srv: '6.15.1',
      target: ESME.eui,
      body: await rekeyBody(stack, 'network-operator', 'networkOperatorByNetworkOperator', ROTATED),
    }).final;
    expect(code(stale)).toBe('0x8F3D');
    const fresh = await no.request({
      srv: '6.15.1',
      target: ESME.eui,
      body: await rekeyBody(stack, 'network-operator', 'networkOperatorByNetworkOperator', ROTATED),
      signing: { signWith: ROTATED.privateKey },
    }).final;
    expect(body(fresh)).toMatchObject({ status: 'success' });
  });

  it('a Change of Supplier leaves the Network Operator cells alone: ED still reads the device', async () => {
    expect(body(await changeOfSupplier(stack, ESME.eui, 'supplier-b').final)).toMatchObject({
      status: 'success',
    });
    await stack.settle();
    expect(cellFor(stack.device('esme1').state.trustAnchors, 'networkOperator', 'keyAgreement')?.eui).toBe(
      EUI.no,
    );
    expect(code(await stack.user('network-operator').request({ srv: '4.1.1', target: ESME.eui }).final)).toBe(
      'I0',
    );
  });

  it('E4 - once the registration data names another network operator, ED is refused', async () => {
    const record = stack.dcc.core.state.smi.get(ESME.eui) as SmiRecord;
    const otherDno = parseEui('90-B3-D5-1F-30-0D-00-00');
    registerParty(stack.dcc.core.state, record, 'networkOperator', otherDno, stack.clock.now(), 'test');
    const outcome = await stack.user('network-operator').request({ srv: '4.1.1', target: ESME.eui }).final;
    expect(code(outcome)).toBe('E4');
    expect(outcome.kind === 'response' && outcome.response.reason).toMatch(
      /not the network operator registered/,
    );
  });
});

describe('8.2 Read Inventory names the network operator registered as of the request', () => {
  const DEVICE = esme(2);
  let stack: SimStack;
  beforeAll(async () => {
    stack = await startChurnStack('churn-network-operator-future', [DEVICE]);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('a registration from tomorrow shows from tomorrow, not before, with no SR in between', async () => {
    const record = stack.dcc.core.state.smi.get(DEVICE.eui) as SmiRecord;
    const nextDno = parseEui('90-B3-D5-1F-30-0D-00-00');
    const tomorrow = stack.clock.now() + 86_400_000;
    registerParty(stack.dcc.core.state, record, 'networkOperator', nextDno, tomorrow, 'test');
    const read = async () =>
      body(await stack.user('supplier-a').request({ srv: '8.2', body: { deviceId: DEVICE.eui } }).final);
    expect(await read()).toMatchObject({ networkOperator: EUI.no });
    await stack.advanceTo(tomorrow + 60_000);
    expect(await read()).toMatchObject({ networkOperator: nextDno });
  });
});
