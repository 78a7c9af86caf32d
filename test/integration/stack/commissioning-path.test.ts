import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DCC_EUI, partyByName } from '../../../harness/stack/parties.js';
import type { SimStack } from '../../../harness/stack/sim-stack.js';
import type { FinalOutcome } from '../../../simulator/parties/dcc-user-agent.js';
import { CHF, esme, startTrialStack } from '../../support/acme-world.js';

/**
 * The commissioning path (TRIALS.md "What the evidence must show") over the real embedded aedes broker, every party its own
 * MQTT client: 12.2 → 8.11 → 8.4 → 8.1.1 (CV 4 → signed CV 5 → I99 → device I0) → 11.2.
 */
const ESME = esme(1);

function code(outcome: FinalOutcome): string {
  return outcome.kind === 'response' ? outcome.response.responseCode : `alert ${outcome.alert.alertCode}`;
}

async function installUpToCommissioning(stack: SimStack): Promise<void> {
  const supplier = stack.user('supplier-a');
  const prenotify = await supplier.request({
    srv: '12.2',
    target: DCC_EUI,
    body: {
      deviceId: ESME.eui,
      deviceType: 'ESME',
      manufacturer: ESME.manufacturer,
      model: ESME.model,
      hardwareVersion: ESME.hardwareVersion,
      firmwareVersion: ESME.firmwareVersion,
      networkOperator: partyByName('network-operator').eui,
    },
  }).final;
  expect(code(prenotify)).toBe('I0');
  expect(stack.dcc.core.state.smi.get(ESME.eui)?.status).toBe('Pending');
  expect(
    code(
      await supplier.request({ srv: '8.11', target: CHF.eui, body: { action: 'add', deviceId: ESME.eui } })
        .final,
    ),
  ).toBe('I0');
  await stack.settle();
  expect(stack.dcc.core.state.smi.get(ESME.eui)?.status).toBe('Whitelisted');
  expect(stack.device('chf1').state.deviceLog).toEqual([ESME.eui]);
  expect(
    code(
      await supplier.request({ srv: '8.4', body: { deviceId: ESME.eui, status: 'InstalledNotCommissioned' } })
        .final,
    ),
  ).toBe('I0');
  expect(stack.dcc.core.state.smi.get(ESME.eui)?.status).toBe('InstalledNotCommissioned');
}

describe('walking skeleton over the embedded broker', () => {
  let stack: SimStack;
  beforeAll(async () => {
    stack = await startTrialStack('skeleton', [ESME]);
    await installUpToCommissioning(stack);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('8.1.1 - CV 4 returns a Pre-Command, the signed CV 5 gets I99, then the device answers I0 and the SMI says Commissioned', async () => {
    const handle = stack.user('supplier-a').request({ srv: '8.1.1', target: ESME.eui });
    const outcome = await handle.final;
    expect(code(outcome)).toBe('I0');
    expect(handle.responses.map((r) => r.responseCode)).toEqual(['I0', 'I99', 'I0']);
    expect(handle.responses[0]?.preCommand).toBeInstanceOf(Uint8Array);
    await stack.settle();
    const record = stack.dcc.core.state.smi.get(ESME.eui);
    expect(record?.status).toBe('Commissioned');
    expect(record?.trialId).toBe('T-0001');
    expect(stack.device('esme1').state.lifecycle).toBe('commissioned');
    // The signed command really crossed the broker to the device and the response came back.
    const kinds = stack.trace.all().map((e) => e.summary);
    // On the wire 8.1.1 to an ESME is ECS70: User-signed and ACB-MACed; the answer device-signed.
    expect(kinds.some((s) => s.startsWith('GBCS command ECS70 0x0062') && s.endsWith('(signed+MACed)'))).toBe(
      true,
    );
    expect(kinds.some((s) => s.startsWith('GBCS response ECS70 0x0062') && s.endsWith('(signed)'))).toBe(
      true,
    );
  });

  it('11.2 - Read Firmware Version answers I0 with the running version', async () => {
    const outcome = await stack.user('supplier-a').request({ srv: '11.2', target: ESME.eui }).final;
    expect(outcome.kind === 'response' && outcome.response.body).toMatchObject({ firmwareVersion: '0.9.0' });
  });

  it('every service request ended in exactly one recorded outcome', () => {
    const outcomes = stack.dcc.core.state.outcomes;
    expect(outcomes.map((o) => `${o.srv}:${o.outcome}`)).toEqual([
      '12.2:I0',
      '8.11:I0',
      '8.4:I0',
      '8.1.1:I0',
      '11.2:I0',
    ]);
    expect(new Set(outcomes.map((o) => o.requestId)).size).toBe(outcomes.length);
    expect(stack.dcc.core.state.pending.size).toBe(0);
  });
});

describe('bad signature over the embedded broker', () => {
  let stack: SimStack;
  beforeAll(async () => {
    stack = await startTrialStack('skeleton-bad-signature', [ESME]);
    await installUpToCommissioning(stack);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('0x8F3D - the device refuses a critical command whose signature does not verify, and nothing changes', async () => {
    const before = stack.device('esme1').state;
    const outcome = await stack
      .user('supplier-a')
      .request({ srv: '8.1.1', target: ESME.eui, signing: 'corrupt' }).final;
    await stack.settle();
    expect(outcome.kind).toBe('deviceAlert');
    expect(outcome.kind === 'deviceAlert' && outcome.alert.alertCode).toBe('0x8F3D');
    const after = stack.device('esme1').state;
    // Only the security log (and the device's own alert counter) moved.
    expect({ ...after, securityLog: [], ownCounter: 0 }).toEqual({
      ...before,
      securityLog: [],
      ownCounter: 0,
    });
    expect(after.securityLog.map((e) => e.code)).toEqual(['0x8F3D']);
    expect(stack.dcc.core.state.smi.get(ESME.eui)?.status).toBe('InstalledNotCommissioned');
    expect(stack.dcc.core.state.trials.get('T-0001')?.commissioned).toEqual([]);
    expect(stack.dcc.core.state.trials.get('T-0001')?.reserved.size).toBe(0);
  });

  it('0x8F3D - a command signed by a party the device has no trust anchor for is refused', async () => {
    const otherKey = stack.pki.organisation('supplier-b').ds.keys.privateKey;
    const outcome = await stack
      .user('supplier-a')
      .request({ srv: '8.1.1', target: ESME.eui, signing: { signWith: otherKey } }).final;
    expect(outcome.kind === 'deviceAlert' && outcome.alert.alertCode).toBe('0x8F3D');
    expect(stack.device('esme1').state.lifecycle).toBe('new');
  });

  it('the same device then accepts a properly signed command', async () => {
    const outcome = await stack.user('supplier-a').request({ srv: '8.1.1', target: ESME.eui }).final;
    expect(code(outcome)).toBe('I0');
  });
});
