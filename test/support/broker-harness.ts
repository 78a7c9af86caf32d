import mqtt, { type MqttClient } from 'mqtt';
import {
  BrokerAccessControl,
  type BrokerPrincipal,
  brokerClientId,
  deriveBrokerCredentials,
} from '../../simulator/adapters/mqtt/broker-access-control.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../simulator/adapters/mqtt/embedded-broker.js';
import { Topics } from '../../simulator/adapters/wire/topics.js';
import { parseEui } from '../../simulator/domain/eui.js';

export const SEED = 'security-seed';
export const topics = new Topics('acl-test');
export const DEVICE_A = parseEui('00-12-4B-00-00-00-01-01');
export const DEVICE_B = parseEui('00-12-4B-00-00-00-01-02');
export const SUPPLIER_A = parseEui('90-B3-D5-1F-30-01-00-00');
export const SUPPLIER_B = parseEui('90-B3-D5-1F-30-03-00-00');
export const DCC: BrokerPrincipal = { role: 'dcc' };
export const deviceA: BrokerPrincipal = { role: 'device', eui: DEVICE_A };
export const deviceB: BrokerPrincipal = { role: 'device', eui: DEVICE_B };
export const supplierA: BrokerPrincipal = { role: 'user', eui: SUPPLIER_A };
export const supplierB: BrokerPrincipal = { role: 'user', eui: SUPPLIER_B };

/** A small size limit keeps the oversize tests cheap; the rule is the same at 256 KiB. */
export const TEST_MAX_PAYLOAD = 4096;
export const TEST_MAX_PACKET = 8192;

export interface AclWorld {
  readonly broker: EmbeddedBroker;
  readonly access: BrokerAccessControl;
  readonly clients: MqttClient[];
  login(principal: BrokerPrincipal, overrides?: mqtt.IClientOptions): Promise<MqttClient>;
  close(): Promise<void>;
}

export async function startAclWorld(): Promise<AclWorld> {
  const access = new BrokerAccessControl({ seed: SEED, topics, maxPayloadBytes: TEST_MAX_PAYLOAD });
  const broker = await startEmbeddedBroker({ accessControl: access, maxPacketBytes: TEST_MAX_PACKET });
  const clients: MqttClient[] = [];
  return {
    broker,
    access,
    clients,
    async login(principal, overrides = {}) {
      const client = await mqtt.connectAsync(broker.url, {
        protocolVersion: 4,
        reconnectPeriod: 0,
        clientId: brokerClientId(topics.namespace, principal),
        ...deriveBrokerCredentials(SEED, principal),
        ...overrides,
      });
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.allSettled(clients.map((c) => c.endAsync(true)));
      await broker.close();
    },
  };
}

/** Resolves with the next message on `topic` that a client receives. */
export function nextMessage(client: MqttClient, topic: string): Promise<Buffer> {
  return new Promise((resolve) => {
    const onMessage = (t: string, payload: Buffer) => {
      if (t !== topic) return;
      client.off('message', onMessage);
      resolve(payload);
    };
    client.on('message', onMessage);
  });
}

export function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => {
    if (!client.connected) resolve();
    else client.once('close', () => resolve());
  });
}
