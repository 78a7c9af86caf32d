import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { FLEET_CPL, fleetDeviceSpecs } from '../../../harness/fleet/fleet-devices.js';
import { SimStack } from '../../../harness/stack/sim-stack.js';
import {
  brokerClientId,
  deriveBrokerCredentials,
} from '../../../simulator/adapters/mqtt/broker-access-control.js';

const START = Date.UTC(2026, 0, 5);
let stack: SimStack | undefined;

afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe('devices on one shared MQTT connection (the scale option)', () => {
  it('each device still answers its own commands: 11.2 and 4.1.1 reads end I0 for every device', async () => {
    const specs = fleetDeviceSpecs(0, 40, { preinstalled: true });
    stack = await SimStack.start({
      seed: 'shared-connection',
      start: START,
      devices: specs,
      cpl: FLEET_CPL,
      deviceConnection: 'shared',
      issueDeviceCertificates: false,
    });
    const supplier = stack.user('supplier-a');
    const outcomes = await Promise.all(
      specs.flatMap((spec) => [
        supplier.request({ srv: '11.2', target: spec.eui }).final,
        supplier.request({ srv: '4.1.1', target: spec.eui }).final,
      ]),
    );
    expect(outcomes.map((o) => (o.kind === 'response' ? o.response.responseCode : 'alert'))).toEqual(
      Array(80).fill('I0'),
    );
    // Every device saw exactly its own two commands, in order.
    for (const spec of specs) expect(stack.device(spec.id).outcomes).toEqual(['executed', 'executed']);
  });

  it('settle() waits for commands in flight to devices on the shared connection', async () => {
    const specs = fleetDeviceSpecs(0, 25, { preinstalled: true });
    stack = await SimStack.start({
      seed: 'shared-settle',
      start: START,
      devices: specs,
      cpl: FLEET_CPL,
      deviceConnection: 'shared',
    });
    const supplier = stack.user('supplier-a');
    for (const spec of specs) supplier.request({ srv: '11.2', target: spec.eui });
    await stack.settle();
    expect(supplier.outstanding).toBe(0);
    expect(stack.dcc.core.state.outcomes.filter((o) => o.outcome === 'I0')).toHaveLength(25);
  });

  it('keys without certificates are the keys the certificates would certify', async () => {
    const specs = fleetDeviceSpecs(0, 3, { preinstalled: true });
    const withCerts = await SimStack.start({
      seed: 'same-keys',
      start: START,
      devices: specs,
      cpl: FLEET_CPL,
    });
    const keysOnly = await SimStack.start({
      seed: 'same-keys',
      start: START,
      devices: specs,
      cpl: FLEET_CPL,
      issueDeviceCertificates: false,
    });
    try {
      for (const spec of specs) {
        expect(keysOnly.dcc.core.state.smki.get(spec.eui)).toEqual(
          withCerts.dcc.core.state.smki.get(spec.eui),
        );
        expect(keysOnly.device(spec.id).state.keys).toEqual(withCerts.device(spec.id).state.keys);
      }
      expect(keysOnly.pki.devices).toHaveLength(0);
    } finally {
      await withCerts.stop();
      await keysOnly.stop();
    }
  });

  it('BROKER-ACL - a device gateway may speak for devices only: it cannot send service requests or read DCC output', async () => {
    stack = await SimStack.start({ seed: 'gateway-acl', start: START, devices: [], cpl: FLEET_CPL });
    const principal = { role: 'deviceGateway' as const, shard: 7 };
    stack.admitDeviceGateway(
      7,
      fleetDeviceSpecs(0, 1, { preinstalled: true }).map((d) => d.eui),
    );
    const client = await mqtt.connectAsync(stack.brokerUrl, {
      clientId: brokerClientId(stack.topics.namespace, principal),
      ...deriveBrokerCredentials('gateway-acl', principal),
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    try {
      const device = fleetDeviceSpecs(0, 1, { preinstalled: true })[0]?.eui;
      if (device === undefined) throw new Error('no device');
      const [down] = await client.subscribeAsync(stack.topics.wanDown(device), { qos: 1 });
      expect(down?.qos).toBe(1);
      // SUBACK 0x80 for another party's topic: mqtt.js rejects, the broker records the refusal.
      await expect(
        client.subscribeAsync(stack.topics.dccOut(stack.user('supplier-a').eui), { qos: 1 }),
      ).rejects.toThrow(/Subscribe error/);
      await expect(
        client.subscribeAsync(stack.topics.dccSubscriptions()[0] as string, { qos: 1 }),
      ).rejects.toThrow(/Subscribe error/);
      const refusals = stack.trace.all().filter((entry) => entry.summary.includes('BROKER-ACL-SUBSCRIBE'));
      expect(refusals).toHaveLength(2);
    } finally {
      await client.endAsync();
    }
  });

  it('BROKER-AUTH - a device-gateway login is accepted only for a shard the run started', async () => {
    stack = await SimStack.start({ seed: 'gateway-shards', start: START, devices: [], cpl: FLEET_CPL });
    stack.admitDeviceGateway(0, []);
    const login = (shard: number) => {
      const principal = { role: 'deviceGateway' as const, shard };
      return mqtt.connectAsync((stack as SimStack).brokerUrl, {
        clientId: brokerClientId((stack as SimStack).topics.namespace, principal),
        ...deriveBrokerCredentials('gateway-shards', principal),
        protocolVersion: 4,
        reconnectPeriod: 0,
      });
    };
    await expect(login(3)).rejects.toThrow(/Bad username or password/);
    const admitted = await login(0);
    await admitted.endAsync();
    const refusals = stack.trace
      .all()
      .filter((e) => e.summary.includes('shard 3 is not one this run started'));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]?.from).toBe('(unauthenticated)');
  });

  it('BROKER-ACL-PUBLISH - a device gateway may publish only for the devices of its own shard', async () => {
    const [mine, other] = fleetDeviceSpecs(0, 2, { preinstalled: true });
    if (mine === undefined || other === undefined) throw new Error('no devices');
    stack = await SimStack.start({ seed: 'gateway-own', start: START, devices: [], cpl: FLEET_CPL });
    stack.admitDeviceGateway(1, [mine.eui]);
    const principal = { role: 'deviceGateway' as const, shard: 1 };
    const client = await mqtt.connectAsync(stack.brokerUrl, {
      clientId: brokerClientId(stack.topics.namespace, principal),
      ...deriveBrokerCredentials('gateway-own', principal),
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    try {
      await expect(client.subscribeAsync(stack.topics.wanDown(other.eui), { qos: 1 })).rejects.toThrow(
        /Subscribe error/,
      );
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      // aedes closes the connection of a client whose publish is refused (MQTT-3.3.5-2).
      client.publish(stack.topics.wanUp(other.eui), Buffer.from('forged'), { qos: 0 });
      await closed;
      const refused = stack.trace.all().filter((e) => e.summary.includes('BROKER-ACL-PUBLISH'));
      expect(refused).toHaveLength(1);
      expect(refused[0]?.summary).toContain(stack.topics.wanUp(other.eui));
    } finally {
      await client.endAsync(true);
    }
  });
});
