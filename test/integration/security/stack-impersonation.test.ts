import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../../harness/package-root.js';
import { loadScenario } from '../../../harness/scenario/scenario-loader.js';
import { SimStack } from '../../../harness/stack/sim-stack.js';
import {
  type BrokerPrincipal,
  brokerClientId,
  deriveBrokerCredentials,
} from '../../../simulator/adapters/mqtt/broker-access-control.js';
import { euiToBytes, parseEui } from '../../../simulator/domain/eui.js';
import { unprotectedApdu } from '../../support/gbcs-frames.js';

const SEED = 'impersonation';
const ROGUE = parseEui('00-12-4B-00-00-00-0B-AD');

describe('a misbehaving party on a running stack', () => {
  let stack: SimStack;
  beforeEach(async () => {
    const scenario = await loadScenario(join(PACKAGE_ROOT, 'scenarios', 'commissioning.yaml'));
    stack = await SimStack.start({
      seed: SEED,
      start: scenario.start,
      devices: scenario.devices,
      cpl: scenario.cpl,
    });
  });
  afterEach(async () => {
    await stack.stop();
  });

  async function rogue(principal: BrokerPrincipal) {
    return mqtt.connectAsync(stack.brokerUrl, {
      protocolVersion: 4,
      reconnectPeriod: 0,
      clientId: brokerClientId(stack.topics.namespace, principal),
      ...deriveBrokerCredentials(SEED, principal),
    });
  }

  it('BROKER-ACL-PUBLISH - a device cannot answer for another device; the refusal is in the trace', async () => {
    const chf = stack.deviceSpec('chf1');
    const client = await rogue({ role: 'device', eui: ROGUE });
    const forged = unprotectedApdu({
      cra: 2,
      originator: euiToBytes(chf.eui),
      recipient: euiToBytes(stack.dcc.core.state.config.acbEui),
      counter: 1,
      dateTime: 0,
      messageCode: '11.2',
      inResponseTo: 1,
      body: { status: 'success', firmwareVersion: '1.0.0' },
    });
    const gone = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish(stack.topics.wanUp(chf.eui), Buffer.from(forged), { qos: 0 });
    await gone;
    await stack.settle();
    const notices = stack.trace.all().filter((e) => e.kind === 'notice' && e.to === 'broker');
    expect(notices).toHaveLength(1);
    expect(notices[0]?.summary).toMatch(/BROKER-ACL-PUBLISH/);
    expect(notices[0]?.from).toBe(`device-${ROGUE}`);
    // The DCC never saw the forged frame.
    expect(stack.trace.all().filter((e) => e.kind === 'gbcs')).toEqual([]);
    await client.endAsync(true);
  });

  it('BROKER-AUTH - the run seed is the secret: credentials of another run are refused', async () => {
    const principal: BrokerPrincipal = { role: 'dcc' };
    await expect(
      mqtt.connectAsync(stack.brokerUrl, {
        protocolVersion: 4,
        reconnectPeriod: 0,
        clientId: brokerClientId(stack.topics.namespace, principal),
        ...deriveBrokerCredentials('some-other-run', principal),
      }),
    ).rejects.toThrow(/bad username or password/i);
    expect(stack.trace.all().some((e) => e.to === 'broker' && /BROKER-AUTH/.test(e.summary))).toBe(true);
  });

  it('the parties of the run log in with their own credentials and work normally', async () => {
    const supplier = stack.user('supplier-a');
    const handle = supplier.request({ srv: '8.2', body: { deviceId: stack.deviceSpec('chf1').eui } });
    const outcome = await handle.final;
    expect(outcome.kind === 'response' && outcome.response.responseCode).toBe('I0');
    expect(stack.trace.all().filter((e) => e.to === 'broker')).toEqual([]);
  });
});
