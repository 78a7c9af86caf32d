import { describe, expect, it } from 'vitest';
import { brokerSetupRows } from '../../../../../harness/evidence/report/broker-setup.js';
import type { ScenarioEnvironment } from '../../../../../harness/results/scenario-evidence-types.js';

const on = (broker: ScenarioEnvironment['broker']): ScenarioEnvironment => ({
  broker,
  deviceWire: 'GBCS',
  userInterface: 'envelope',
});
const URL = 'mqtt://127.0.0.1:1883';
const fast = { roundTripMs: 0.2, pairedRoundTripMs: 0.4, nagleDelay: false };
const slow = { roundTripMs: 0.2, pairedRoundTripMs: 44, nagleDelay: true };

describe("the report's broker rows (test set-up)", () => {
  it('the embedded broker: one row, no round trips (aedes in the process, over a Unix socket)', () => {
    expect(brokerSetupRows([on({ kind: 'embedded' }), on({ kind: 'embedded' })])).toEqual([
      { label: 'Broker', value: 'embedded MQTT broker (aedes) in the trialsim process, on loopback' },
    ]);
  });

  it('names the software an external broker announced, once for every scenario on it', () => {
    const rows = brokerSetupRows([
      on({ kind: 'external', url: URL, software: 'mosquitto version 2.0.11', timing: fast }),
      on({ kind: 'external', url: URL, software: 'mosquitto version 2.0.11', timing: fast }),
    ]);
    expect(rows.filter((r) => r.label === 'Broker').map((r) => r.value)).toEqual([
      `external MQTT broker at ${URL}: mosquitto version 2.0.11 (as it announces on $SYS/broker/version)`,
    ]);
    expect(rows.find((r) => r.label === 'Broker round trips')?.value).toBe(
      'PUBLISH → PUBACK 0.2 ms, two PUBLISHes together → both PUBACKs 0.4 ms, at the start of each of 2 scenarios (real clock): no delayed answers',
    );
  });

  it('unknown stays unknown, saying why: nothing announced, or the probe could not ask', () => {
    const values = brokerSetupRows([
      on({ kind: 'external', url: URL }),
      on({ kind: 'external', url: URL, probeFailed: 'connect ECONNREFUSED 127.0.0.1:1883' }),
    ]).map((r) => r.value);
    expect(values).toEqual([
      `external MQTT broker at ${URL}: software unknown (it announced nothing on $SYS/broker/version)`,
      `external MQTT broker at ${URL}: software unknown (trialsim could not ask: connect ECONNREFUSED 127.0.0.1:1883)`,
    ]);
  });

  it('a broker that delayed its answers: how often, the range measured, and the mosquitto fix', () => {
    const value = brokerSetupRows([
      on({ kind: 'external', url: URL, timing: slow }),
      on({ kind: 'external', url: URL, timing: { ...slow, pairedRoundTripMs: 48 } }),
      on({ kind: 'external', url: URL, timing: fast }),
    ]).find((r) => r.label === 'Broker round trips')?.value;
    expect(value).toContain('two PUBLISHes together → both PUBACKs 0.4–48 ms');
    expect(value).toContain("held small writes back (Nagle's algorithm) in 2 of 3");
    expect(value).toContain('add `set_tcp_nodelay true` to mosquitto.conf');
  });

  it('scenarios on two brokers (merged shards): a round-trip row each, named by its URL', () => {
    const other = 'mqtt://10.0.0.2:1883';
    const rows = brokerSetupRows([
      on({ kind: 'external', url: URL, timing: fast }),
      on({ kind: 'external', url: other, timing: slow }),
    ]);
    expect(rows.map((r) => r.label)).toEqual([
      'Broker',
      'Broker',
      `Broker round trips (${URL})`,
      `Broker round trips (${other})`,
    ]);
    expect(rows[2]?.value).toMatch(/no delayed answers$/);
    expect(rows[3]?.value).toContain('in 1 of 1');
  });
});
