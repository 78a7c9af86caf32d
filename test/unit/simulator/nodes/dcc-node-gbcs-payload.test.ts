import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope } from '../../../../simulator/adapters/wire/envelope.js';
import { Topics } from '../../../../simulator/adapters/wire/topics.js';
import type { DccAlert, ServiceResponse } from '../../../../simulator/domain/messages/duis-messages.js';
import { DccNode, type UserMessage } from '../../../../simulator/nodes/dcc-node.js';
import type { MessageHandler, Transport } from '../../../../simulator/ports/transport.js';
import { VirtualClock } from '../../../../simulator/time/virtual-clock.js';
import { MessageTrace } from '../../../../simulator/trace/message-trace.js';
import { newHarness, START, SUPPLIER_A, SUPPLIER_B } from '../../../support/dcc-fixture.js';

/** A bus that keeps what is published, byte for byte. */
class RecordingBus implements Transport {
  readonly clientId = 'recording';
  readonly published: { topic: string; bytes: Uint8Array }[] = [];
  async publish(topic: string, bytes: Uint8Array): Promise<void> {
    this.published.push({ topic, bytes });
  }
  async subscribe(_filters: readonly string[], _handler: MessageHandler): Promise<void> {}
  async close(): Promise<void> {}
}

const APDU = new Uint8Array([0xdd, 0, 0, 0, 0, 0, 0, 0x7e, 0x11, 0xdf, 9, 2]);
const response: ServiceResponse = {
  responseId: 'r',
  requestId: 'q',
  serviceReferenceVariant: '11.2',
  responseCode: 'I0',
  body: { status: 'success', firmwareVersion: '1.0.0' },
  gbcsPayload: APDU,
};
const alert: DccAlert = {
  alert: 'DeviceAlert',
  deviceId: '00-12-4B-00-00-00-01-01',
  raisedAt: START,
  alertCode: '0x8F43',
  details: {},
  gbcsPayload: APDU,
};
const { gbcsPayload: _r, ...responseOnMqtt } = response;
const { gbcsPayload: _a, ...alertOnMqtt } = alert;

async function node() {
  const bus = new RecordingBus();
  const topics = new Topics('gbcs-payload');
  const trace = new MessageTrace();
  const dcc = await DccNode.start({
    transport: bus,
    topics,
    core: newHarness().core,
    clock: new VirtualClock(START),
    trace,
  });
  return { bus, topics, trace, dcc };
}

/**
 * The device's APDU rides on the DCC's response and alert for DUIS's GBCSPayload only: trialsim's
 * MQTT envelope and the trace stay byte for byte what they were (the trace must stay reproducible
 * and the MQTT Users read the decoded body).
 */
describe('DccNode: the device APDU goes to DUIS Users, never onto the MQTT envelope or the trace', () => {
  it('an MQTT User gets the envelope without it, byte for byte the envelope of the message without it', async () => {
    const { bus, topics, dcc, trace } = await node();
    await dcc.execute([
      { type: 'serviceResponse', user: SUPPLIER_A, message: response },
      { type: 'dccAlert', user: SUPPLIER_A, message: alert },
    ]);
    expect(bus.published.map((p) => p.topic)).toEqual([topics.dccOut(SUPPLIER_A), topics.dccOut(SUPPLIER_A)]);
    expect(bus.published[0]?.bytes).toEqual(
      encodeEnvelope({ kind: 'serviceResponse', message: responseOnMqtt }),
    );
    expect(bus.published[1]?.bytes).toEqual(encodeEnvelope({ kind: 'dccAlert', message: alertOnMqtt }));
    expect(decodeEnvelope(bus.published[1]?.bytes as Uint8Array).message).not.toHaveProperty('gbcsPayload');
    expect(JSON.stringify(trace.since(0))).not.toContain('gbcsPayload');
  });

  it('a User with its own channel (DUIS) is handed the APDU; the trace records the message as on MQTT', async () => {
    const { bus, dcc, trace } = await node();
    const delivered: UserMessage[] = [];
    dcc.attachUserChannel(SUPPLIER_B, { deliver: async (m) => void delivered.push(m) });
    await dcc.execute([
      { type: 'serviceResponse', user: SUPPLIER_B, message: response },
      { type: 'dccAlert', user: SUPPLIER_B, message: alert },
    ]);
    expect(bus.published).toEqual([]);
    expect(delivered.map((m) => m.message.gbcsPayload)).toEqual([APDU, APDU]);
    const entries = trace.since(0);
    expect(entries.map((e) => e.kind)).toEqual(['serviceResponse', 'dccAlert']);
    expect(JSON.stringify(entries)).not.toContain('gbcsPayload');
  });
});
