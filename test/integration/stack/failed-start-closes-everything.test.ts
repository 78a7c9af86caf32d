import { describe, expect, it } from 'vitest';
import { FLEET_CPL, fleetDeviceSpecs } from '../../../harness/fleet/fleet-devices.js';
import { SimStack } from '../../../harness/stack/sim-stack.js';
import { BrokerAccessControl } from '../../../simulator/adapters/mqtt/broker-access-control.js';
import { startEmbeddedBroker } from '../../../simulator/adapters/mqtt/embedded-broker.js';
import { MAX_MESSAGE_BYTES } from '../../../simulator/adapters/wire/cbor-codec.js';
import { Topics } from '../../../simulator/adapters/wire/topics.js';

/**
 * A broker that admits the DCC and every DCC User but refuses every device's login, so a stack
 * on it fails half-way through starting: after the DCC and the user agents have connected.
 */
class RefuseDevices extends BrokerAccessControl {
  override hooks(): ReturnType<BrokerAccessControl['hooks']> {
    const hooks = super.hooks();
    return {
      ...hooks,
      authenticate: (client, username, password, done) => {
        if (username?.startsWith('device-')) {
          const error = Object.assign(new Error('devices refused for this test'), { returnCode: 4 });
          done(error as Parameters<typeof done>[0], false);
          return;
        }
        hooks.authenticate(client, username, password, done);
      },
    };
  }
}

describe('a stack that fails to start closes everything it opened', () => {
  it('devices refused by the broker: start() rejects naming the cause, and no client of it stays connected', async () => {
    const seed = 'failed-start';
    const namespace = `failed-start-${process.pid}`;
    const accessControl = new RefuseDevices({
      seed,
      topics: new Topics(namespace),
      maxPayloadBytes: MAX_MESSAGE_BYTES,
    });
    const broker = await startEmbeddedBroker({ accessControl });
    const connected: string[] = [];
    broker.aedes.on('client', (client) => connected.push(client.id));
    try {
      await expect(
        SimStack.start({
          seed,
          start: Date.UTC(2026, 0, 5),
          namespace,
          brokerUrl: broker.url,
          devices: fleetDeviceSpecs(0, 40, { preinstalled: true }),
          cpl: FLEET_CPL,
        }),
      ).rejects.toThrow(/cannot connect to the MQTT broker/);
      // The DCC and the user agents did connect before the devices were refused…
      expect(connected).toContain(`${namespace}-dcc`);
      expect(connected.filter((id) => id.includes('-user-')).length).toBeGreaterThan(0);
      // …and start() closed them all before it rejected: nothing of the stack is left on the broker.
      // (The broker hears each DISCONNECT a moment after the client sent it: poll, do not sleep.)
      await expect.poll(() => broker.aedes.connectedClients).toBe(0);
    } finally {
      await broker.close();
    }
  });
});
