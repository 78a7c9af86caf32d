import { describe, expect, it } from 'vitest';
import {
  MAX_DRAWN_DEVICES,
  messageFlowSummary,
} from '../../../../../harness/evidence/report/message-flow-summary.js';
import { ReportTrace } from '../../../../../harness/evidence/report/report-trace.js';
import {
  MAX_DIAGRAM_MESSAGES,
  sequenceDiagram,
} from '../../../../../harness/evidence/report/sequence-diagram.js';
import type { ReportTraceLine } from '../../../../../harness/evidence/trace-chain.js';
import type { TestedDevice } from '../../../../../harness/results/scenario-evidence-types.js';

function device(n: number): TestedDevice {
  return {
    id: `esme-${n}`,
    eui: `00-00-00-00-00-00-00-${String(n).padStart(2, '0')}`,
    deviceType: n % 2 === 0 ? 'ESME' : 'CHF',
    role: 'simulated',
    manufacturer: 'Acme',
    model: 'M',
    hardwareVersion: '1',
    firmwareVersion: '1',
  };
}

/** A scenario's lines: users to the DCC, the DCC to devices and back, an error response now and then. */
function linesOf(scenario: string, count: number, devices: readonly TestedDevice[]): ReportTraceLine[] {
  return Array.from({ length: count }, (_, i) => {
    const d = devices[i % devices.length] as TestedDevice;
    const toDevice = i % 3 === 1;
    return {
      scenario,
      seq: i + 1,
      at: new Date(Date.UTC(2027, 0, 1) + i * 60_000).toISOString(),
      from: toDevice ? 'DCC' : i % 3 === 0 ? 'SUPPLIER' : d.eui,
      fromName: toDevice ? 'DCC' : i % 3 === 0 ? 'supplier-a' : d.id,
      to: toDevice ? d.eui : 'DCC',
      toName: toDevice ? d.id : 'DCC',
      kind: toDevice ? 'gbcs' : i % 7 === 0 ? 'serviceResponse' : 'serviceRequest',
      summary: `message ${i + 1} for ${d.eui}`,
      detail: { responseCode: i % 7 === 0 ? 'E5' : 'I0' },
    };
  });
}

const scenarioOf = (id: string) => ({ id, virtualStart: '2027-01-01T00:00:00.000Z', steps: [] });

describe('ReportTrace: what report.html draws, gathered line by line instead of from every line kept', () => {
  const few = Array.from({ length: 3 }, (_, i) => device(i));
  const many = Array.from({ length: MAX_DRAWN_DEVICES + 5 }, (_, i) => device(i));
  const small = linesOf('small', MAX_DIAGRAM_MESSAGES + 250, few);
  const fleet = linesOf('fleet', 3_000, many);
  const results = {
    scenarios: [
      { id: 'small', devices: few },
      { id: 'fleet', devices: many },
      { id: 'silent', devices: few },
    ],
  } as unknown as ConstructorParameters<typeof ReportTrace>[0];
  // Interleaved as a merged trace never is, but as add() may be called: per scenario all the same.
  const trace = ReportTrace.of(results, [...small, ...fleet]);

  it('draws the same sequence diagram as from all of a small scenario’s lines, keeping only the first ones', () => {
    const kept = trace.of('small');
    expect(kept.count).toBe(small.length);
    expect(kept.first).toHaveLength(MAX_DIAGRAM_MESSAGES);
    expect(sequenceDiagram(scenarioOf('small'), kept.first, kept.count)).toBe(
      sequenceDiagram(scenarioOf('small'), small),
    );
    expect(kept.flow).toBeUndefined();
  });

  it('summarises a fleet’s flow as the summary of all its lines does', () => {
    const kept = trace.of('fleet');
    expect(kept.count).toBe(fleet.length);
    expect(kept.flow?.html()).toBe(messageFlowSummary(fleet, many));
  });

  it('names every EUI the lines name, and a scenario with no message has none', () => {
    const names = trace.of('fleet').names;
    for (const line of fleet) {
      expect(names.get(line.from)).toBe(line.fromName);
      expect(names.get(line.to)).toBe(line.toName);
    }
    expect(trace.of('silent')).toMatchObject({ count: 0, first: [] });
    expect(trace.of('silent').names.size).toBe(0);
    expect(sequenceDiagram(scenarioOf('silent'), [], 0)).toBe(sequenceDiagram(scenarioOf('silent'), []));
  });
});
