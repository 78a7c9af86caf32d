import fc from 'fast-check';
import mqtt from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BrokerAccessControl,
  type BrokerPrincipal,
  deriveBrokerCredentials,
  parsePrincipal,
  principalUsername,
} from '../../../simulator/adapters/mqtt/broker-access-control.js';
import { euiFromBytes } from '../../../simulator/domain/eui.js';
import {
  type AclWorld,
  closed,
  DCC,
  DEVICE_A,
  DEVICE_B,
  deviceA,
  deviceB,
  nextMessage,
  SEED,
  SUPPLIER_A,
  SUPPLIER_B,
  startAclWorld,
  supplierA,
  supplierB,
  TEST_MAX_PAYLOAD,
  topics,
} from '../../support/broker-harness.js';

const principalArb: fc.Arbitrary<BrokerPrincipal> = fc.oneof(
  fc.constant<BrokerPrincipal>({ role: 'dcc' }),
  fc
    .uint8Array({ minLength: 8, maxLength: 8 })
    .map((b): BrokerPrincipal => ({ role: 'device', eui: euiFromBytes(b) })),
  fc
    .uint8Array({ minLength: 8, maxLength: 8 })
    .map((b): BrokerPrincipal => ({ role: 'user', eui: euiFromBytes(b) })),
);

describe('broker credentials', () => {
  it('BROKER-AUTH - each party has its own password, reproducible from the run seed', () => {
    fc.assert(
      fc.property(principalArb, principalArb, fc.string(), (a, b, seed) => {
        const access = new BrokerAccessControl({ seed, topics, maxPayloadBytes: 1 });
        const credsA = deriveBrokerCredentials(seed, a);
        expect(deriveBrokerCredentials(seed, a)).toEqual(credsA);
        expect(parsePrincipal(credsA.username)).toEqual(a);
        const clientIdB = `${topics.namespace}-${principalUsername(b)}`;
        const asB = access.checkConnect(clientIdB, principalUsername(b), Buffer.from(credsA.password));
        // A's password opens only A's account.
        expect(asB === undefined).toBe(principalUsername(a) === principalUsername(b));
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('BROKER-AUTH - a password from another run seed is refused', () => {
    const access = new BrokerAccessControl({ seed: SEED, topics, maxPayloadBytes: 1 });
    const other = deriveBrokerCredentials('another-seed', deviceA);
    const refusal = access.checkConnect(
      `${topics.namespace}-${other.username}`,
      other.username,
      Buffer.from(other.password),
    );
    expect(refusal?.rule).toBe('BROKER-AUTH');
  });
});

describe('broker access control over the embedded broker', () => {
  let world: AclWorld;
  beforeEach(async () => {
    world = await startAclWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('BROKER-AUTH - refuses a connection with a wrong password, and logs it', async () => {
    await expect(world.login(deviceA, { password: 'guess' })).rejects.toThrow(/bad username or password/i);
    expect(world.access.refusals).toMatchObject([{ action: 'connect', rule: 'BROKER-AUTH' }]);
  });

  it('BROKER-AUTH - refuses a connection without credentials', async () => {
    const anonymous = mqtt.connectAsync(world.broker.url, {
      protocolVersion: 4,
      reconnectPeriod: 0,
      clientId: `${topics.namespace}-device-${DEVICE_A}`,
    });
    await expect(anonymous).rejects.toThrow(/not authorized|bad username/i);
    expect(world.access.refusals[0]?.rule).toBe('BROKER-AUTH');
  });

  it("BROKER-CLIENT-ID - a party cannot take over another party's session by its client id", async () => {
    await expect(world.login(deviceA, { clientId: `${topics.namespace}-dcc` })).rejects.toThrow(
      /identifier/i,
    );
    expect(world.access.refusals[0]).toMatchObject({ action: 'connect', rule: 'BROKER-CLIENT-ID' });
  });

  it('BROKER-ACL-PUBLISH - a device may publish on its own wan/up topic, and the DCC receives it', async () => {
    const dcc = await world.login(DCC);
    await dcc.subscribeAsync(topics.dccSubscriptions(), { qos: 1 });
    const device = await world.login(deviceA);
    const received = nextMessage(dcc, topics.wanUp(DEVICE_A));
    await device.publishAsync(topics.wanUp(DEVICE_A), 'hello', { qos: 1 });
    expect((await received).toString()).toBe('hello');
    expect(world.access.refusals).toEqual([]);
  });

  const forgeries: [string, BrokerPrincipal, () => string][] = [
    ['a device cannot publish as another device', deviceA, () => topics.wanUp(DEVICE_B)],
    ['a device cannot publish as the DCC to a device', deviceA, () => topics.wanDown(DEVICE_B)],
    ['a device cannot publish a response to a supplier', deviceA, () => topics.dccOut(SUPPLIER_A)],
    ['a device cannot send a service request', deviceA, () => topics.dccIn(SUPPLIER_A)],
    ['a supplier cannot send as another supplier', supplierA, () => topics.dccIn(SUPPLIER_B)],
    ['a supplier cannot answer as the DCC', supplierA, () => topics.dccOut(SUPPLIER_B)],
    ['a supplier cannot command a device directly', supplierA, () => topics.wanDown(DEVICE_A)],
    ['the DCC cannot publish as a device', DCC, () => topics.wanUp(DEVICE_A)],
    [
      'nobody publishes outside the run namespace',
      deviceA,
      () => 'trialsim/v1/other-run/wan/up/00-12-4B-00-00-00-01-01',
    ],
    [
      'a device cannot use a non-canonical spelling of its EUI',
      deviceA,
      () => `${topics.wanUp(DEVICE_A).slice(0, -23)}00124b0000000101`,
    ],
  ];
  for (const [title, principal, topic] of forgeries) {
    it(`BROKER-ACL-PUBLISH - ${title}`, async () => {
      const seen: string[] = [];
      const rogue = await world.login(principal);
      // The DCC and supplier B watch everything they may; the forged bytes must reach neither.
      const dcc = principal.role === 'dcc' ? undefined : await world.login(DCC);
      await dcc?.subscribeAsync(topics.dccSubscriptions(), { qos: 1 });
      const observer = await world.login(supplierB);
      await observer.subscribeAsync(topics.dccOut(SUPPLIER_B), { qos: 1 });
      for (const c of [dcc, observer]) c?.on('message', (_t, payload) => seen.push(payload.toString()));
      const gone = closed(rogue);
      rogue.publish(topic(), Buffer.from('forged'), { qos: 0 });
      await gone; // aedes closes a client whose publish is refused (MQTT-3.3.5-2)
      expect(world.access.refusals).toMatchObject([
        {
          action: 'publish',
          rule: 'BROKER-ACL-PUBLISH',
          principal: principalUsername(principal),
          topic: topic(),
        },
      ]);
      if (dcc !== undefined) {
        // A genuine message sent after the refusal arrives; the forged one never did.
        const rogueIsB = 'eui' in principal && principal.eui === DEVICE_B;
        const marker = await world.login(rogueIsB ? deviceA : deviceB);
        const own = rogueIsB ? DEVICE_A : DEVICE_B;
        const arrived = nextMessage(dcc, topics.wanUp(own));
        await marker.publishAsync(topics.wanUp(own), 'marker', { qos: 1 });
        await arrived;
      }
      expect(seen).not.toContain('forged');
    });
  }

  const snoops: [string, BrokerPrincipal, () => string][] = [
    ["a supplier cannot read another supplier's responses", supplierA, () => topics.dccOut(SUPPLIER_B)],
    [
      'a supplier cannot read every response by wildcard',
      supplierA,
      () => `trialsim/v1/${topics.namespace}/dcc/out/+`,
    ],
    ['a supplier cannot read the whole tree', supplierA, () => '#'],
    ["a device cannot read another device's commands", deviceA, () => topics.wanDown(DEVICE_B)],
    ['a device cannot read the service requests', deviceA, () => topics.dccIn(SUPPLIER_A)],
    ['a device cannot read $SYS', deviceA, () => '$SYS/#'],
  ];
  for (const [title, principal, filter] of snoops) {
    it(`BROKER-ACL-SUBSCRIBE - ${title}`, async () => {
      const spy = await world.login(principal);
      // SUBACK failure 0x80 (MQTT 3.1.1 §3.9.3); mqtt.js turns it into a rejection.
      await expect(spy.subscribeAsync(filter(), { qos: 1 })).rejects.toThrow(/subscribe error/i);
      expect(spy.connected).toBe(true);
      expect(world.access.refusals).toMatchObject([
        { action: 'subscribe', rule: 'BROKER-ACL-SUBSCRIBE', topic: filter() },
      ]);
      // Messages on the topic still flow to their owner, and not to the spy.
      const spied: string[] = [];
      spy.on('message', (t) => spied.push(t));
      const owner = await world.login(supplierB);
      await owner.subscribeAsync(topics.dccOut(SUPPLIER_B), { qos: 1 });
      const dcc = await world.login(DCC);
      const arrived = nextMessage(owner, topics.dccOut(SUPPLIER_B));
      await dcc.publishAsync(topics.dccOut(SUPPLIER_B), 'for B only', { qos: 1 });
      await arrived;
      expect(spied).toEqual([]);
    });
  }

  it('BROKER-SIZE - refuses a message over the payload limit', async () => {
    const device = await world.login(deviceA);
    const gone = closed(device);
    device.publish(topics.wanUp(DEVICE_A), Buffer.alloc(TEST_MAX_PAYLOAD + 1), { qos: 0 });
    await gone;
    expect(world.access.refusals).toMatchObject([{ action: 'publish', rule: 'BROKER-SIZE' }]);
  });

  it('BROKER-SIZE - closes a connection whose packet header announces more than the packet limit', async () => {
    const device = await world.login(deviceA);
    const gone = closed(device);
    device.publish(topics.wanUp(DEVICE_A), Buffer.alloc(64 * 1024), { qos: 0 });
    await gone;
    expect(world.access.refusals).toMatchObject([{ action: 'packet', rule: 'BROKER-SIZE' }]);
  });

  it('BROKER-ACL - refusals do not disturb other parties', async () => {
    const dcc = await world.login(DCC);
    await dcc.subscribeAsync(topics.dccSubscriptions(), { qos: 1 });
    const rogue = await world.login(deviceB);
    const gone = closed(rogue);
    rogue.publish(topics.wanUp(DEVICE_A), 'forged', { qos: 0 });
    await gone;
    const device = await world.login(deviceA);
    const received = nextMessage(dcc, topics.wanUp(DEVICE_A));
    await device.publishAsync(topics.wanUp(DEVICE_A), 'genuine', { qos: 1 });
    expect((await received).toString()).toBe('genuine');
    expect(world.broker.aedes.connectedClients).toBe(2);
  });
});
