import { describe, expect, it } from 'vitest';
import { InOrderHandling } from '../../../../simulator/adapters/mqtt/in-order-handling.js';
import { encodeEnvelope } from '../../../../simulator/adapters/wire/envelope.js';
import { Topics } from '../../../../simulator/adapters/wire/topics.js';
import { formatRequestId } from '../../../../simulator/domain/duis/request-id.js';
import { DccNode } from '../../../../simulator/nodes/dcc-node.js';
import { DeviceNode } from '../../../../simulator/nodes/device-node.js';
import type { MessageHandler, Transport } from '../../../../simulator/ports/transport.js';
import { VirtualClock } from '../../../../simulator/time/virtual-clock.js';
import { MessageTrace } from '../../../../simulator/trace/message-trace.js';
import { DCC, newHarness, SUPPLIER_A } from '../../../support/dcc-fixture.js';
import {
  DEVICE_EUI,
  env,
  macedFrame,
  newTestDevice,
  payloadFor,
  START,
  SUPPLIER,
} from '../../../support/device-fixture.js';

/**
 * A bus whose broker never acknowledges a publish, with the in-order handling every transport
 * has. A party that waited for its publishes before taking its next message would stop here
 * after one message; that wait cost a broker round trip per message (bench/FIGURES.md).
 */
class UnacknowledgingBus implements Transport {
  readonly clientId = 'unacknowledging';
  readonly published: string[] = [];
  private handler: MessageHandler | undefined;
  private readonly handling = new InOrderHandling(this.clientId, undefined);

  publish(topic: string): Promise<void> {
    this.published.push(topic);
    return new Promise<void>(() => {}); // no PUBACK, ever
  }

  async subscribe(_filters: readonly string[], handler: MessageHandler): Promise<void> {
    this.handler = handler;
  }

  deliver(topic: string, payload: Uint8Array): void {
    const handler = this.handler as MessageHandler;
    this.handling.handle(() => handler(topic, payload));
  }

  async close(): Promise<void> {}
}

describe('a party takes its next message without waiting for the broker to acknowledge its last answer', () => {
  it('a device answers three commands in a row while none of its answers is acknowledged', async () => {
    const bus = new UnacknowledgingBus();
    const topics = new Topics('no-acks');
    const clock = new VirtualClock(START);
    const device = await DeviceNode.start({ state: newTestDevice(), transport: bus, topics, clock, env });
    for (const counter of [1_000, 1_001, 1_002]) {
      const frame = macedFrame(payloadFor(SUPPLIER, '11.2', counter, {}));
      bus.deliver(topics.wanDown(DEVICE_EUI), frame.apdu);
    }
    await new Promise((resolve) => setImmediate(resolve)); // every promise job has run by then
    expect(device.outcomes).toEqual(['executed', 'executed', 'executed']);
    expect(bus.published).toEqual(Array(3).fill(topics.wanUp(DEVICE_EUI)));
  });

  it('the DCC answers three service requests in a row while none of its answers is acknowledged', async () => {
    const bus = new UnacknowledgingBus();
    const topics = new Topics('no-acks');
    const clock = new VirtualClock(START);
    const trace = new MessageTrace();
    await DccNode.start({ transport: bus, topics, core: newHarness().core, clock, trace });
    for (const counter of [1, 2, 3]) {
      const request = {
        requestId: formatRequestId({ originator: SUPPLIER_A, target: DCC, counter }),
        commandVariant: 8,
        serviceReference: '8.2',
        serviceReferenceVariant: '8.2',
        body: {},
      };
      bus.deliver(topics.dccIn(SUPPLIER_A), encodeEnvelope({ kind: 'serviceRequest', message: request }));
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(bus.published).toEqual(Array(3).fill(topics.dccOut(SUPPLIER_A)));
  });
});
