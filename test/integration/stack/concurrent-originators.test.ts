import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceSpec } from '../../../harness/stack/device-spec.js';
import { SimStack } from '../../../harness/stack/sim-stack.js';
import { parseEui } from '../../../simulator/domain/eui.js';
import type { FinalOutcome } from '../../../simulator/parties/dcc-user-agent.js';

/**
 * DCC.md §8: originator counters are per originator, so two parties may send a device commands
 * with the same counter at the same time. Each SR must still end with its own device response.
 */
const START = Date.parse('2027-01-04T09:00:00Z');
const ESME: DeviceSpec = {
  id: 'esme1',
  eui: parseEui('00-12-4B-00-00-00-01-01'),
  deviceType: 'ESME',
  manufacturer: 'Acme Meters Ltd',
  model: 'ACME-E-100',
  hardwareVersion: '3.0',
  firmwareVersion: '3.2.0',
  supplier: 'supplier-a',
  networkOperator: 'network-operator',
  chf: undefined,
  preinstalled: true,
};
const CPL = [
  { ...ESME, cpaCertificateReference: 'CPA-2023-0042', status: 'Active' as const, imageHash: undefined },
];

function summary(outcome: FinalOutcome): string {
  return outcome.kind === 'response'
    ? `${outcome.response.requestId} ${outcome.response.responseCode}`
    : `alert ${outcome.alert.alertCode}`;
}

describe('pending commands are told apart by originator', () => {
  let stack: SimStack;
  beforeAll(async () => {
    stack = await SimStack.start({ seed: 'same-counter', start: START, devices: [ESME], cpl: CPL });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('the supplier and the network operator each get their own I0 for the same counter on one device', async () => {
    const supplier = stack.user('supplier-a').request({ srv: '11.2', target: ESME.eui, counter: 50 });
    const operator = stack.user('network-operator').request({ srv: '4.1.1', target: ESME.eui, counter: 50 });
    const [a, b] = await Promise.all([supplier.final, operator.final]);
    expect(summary(a)).toBe(`${supplier.requestId} I0`);
    expect(summary(b)).toBe(`${operator.requestId} I0`);
    expect(a.kind === 'response' && a.response.body).toMatchObject({ firmwareVersion: '3.2.0' });
    expect(b.kind === 'response' && b.response.body).toHaveProperty('importRegisterWh');
    await stack.settle();
    expect(stack.dcc.core.state.pending.size).toBe(0);
    expect(stack.dcc.core.state.outcomes.map((o) => `${o.srv}:${o.outcome}`).sort()).toEqual([
      '11.2:I0',
      '4.1.1:I0',
    ]);
  });
});
