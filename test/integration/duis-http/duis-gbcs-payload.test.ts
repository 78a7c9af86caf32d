import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS_DIR } from '../../../harness/package-root.js';
import type { ScenarioTrace } from '../../../harness/results/scenario-trace.js';
import { loadScenario } from '../../../harness/scenario/scenario-loader.js';
import { runScenario } from '../../../harness/scenario/scenario-runner.js';
import { decodeDuisResponse } from '../../../simulator/domain/duis/xml/duis-response-xml.js';
import { parseXml } from '../../../simulator/domain/duis/xml/duis-xml.js';
import { decodeGbcsMessage } from '../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import { describeGbcsApdu } from '../../../simulator/trace/describe-message.js';
import type { TraceEntry } from '../../../simulator/trace/message-trace.js';

/**
 * DUIS's GBCSPayload is the device's GBCS APDU as the device sent it, MAC header included
 * (docs/domain/DUIS.md §3.1 shape 4; §3 DeviceAlertMessage). The oracle is the device wire itself:
 * the APDU the DCC took from the device's MQTT topic, traced as it arrived (kind `gbcs`), must be
 * the callback's GBCSPayload byte for byte; trialsim's GBCS decoder then reads it as the use case
 * and counter the request asked for. (@smartdcc/gbcs-parser is not a devDependency of trialsim,
 * so it is not used here.)
 */
const ESME = '00-12-4B-00-00-00-01-01';
const SUPPLIER_A = '90-B3-D5-1F-30-01-00-00';

async function runOverDuis(name: string): Promise<TraceEntry[]> {
  const dir = await mkdtemp(join(tmpdir(), 'trialsim-duis-gbcs-'));
  const file = join(dir, `${name}.yaml`);
  const text = await readFile(join(SCENARIOS_DIR, `${name}.yaml`), 'utf8');
  await writeFile(file, `${text}\nparties:\n  supplier-a: { interface: duis }\n`);
  const traces: ScenarioTrace[] = [];
  const result = await runScenario(await loadScenario(file), {
    seed: 'duis-gbcs-payload',
    onTrace: (t) => traces.push(t),
  });
  expect(result.verdict, JSON.stringify(result.steps.map((s) => [s.verdict, s.message]))).toBe('passed');
  return traces.flatMap((t) => [...t.entries]);
}

const xmlOf = (e: TraceEntry) => String((e.detail as { xml?: string } | undefined)?.xml);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
/** The APDUs the device sent the DCC, as the DCC took them off the device's topic. */
const fromDevice = (entries: TraceEntry[]) =>
  entries
    .filter((e) => e.kind === 'gbcs' && e.from === ESME && e.to === 'DCC')
    .map((e) => String((e.detail as { apdu?: string }).apdu));

let commissioning: TraceEntry[];
let badSignature: TraceEntry[];

beforeAll(async () => {
  commissioning = await runOverDuis('commissioning');
  badSignature = await runOverDuis('bad-signature');
}, 240_000);

describe('GBCSPayload over DUIS is the device’s GBCS APDU, not trialsim’s CBOR body', () => {
  // A non-critical command's response comes MACed for the User (its MAC header kept, as the User
  // checks it); the critical 8.1.1's is the device-signed DF alone (GBCS.md §2.1).
  for (const [srv, useCase, messageCode, frame] of [
    ['11.2', 'ECS52', '0x0059', 'mac-header'],
    ['4.1.1', 'ECS17b', '0x0027', 'mac-header'],
    ['8.1.1', 'ECS70', '0x0062', 'general-signing'],
  ] as const) {
    it(`${srv}: the callback's GBCSPayload is the ${useCase} response the ESME sent, for the request's counter`, () => {
      const callback = commissioning.find(
        (e) => e.kind === 'duisResponse' && e.summary.startsWith(`callback ${srv} I0 `),
      );
      expect(callback, `no ${srv} callback in the trace`).toBeDefined();
      const decoded = decodeDuisResponse(parseXml(xmlOf(callback as TraceEntry)));
      if (decoded.kind !== 'response') throw new Error(`the ${srv} callback is a ${decoded.kind}`);
      const payload = decoded.gbcsPayload;
      if (payload === undefined) throw new Error(`the ${srv} callback has no GBCSPayload`);
      expect(fromDevice(commissioning)).toContain(hex(payload));
      const counter = decoded.requestId?.split(':')[2];
      const { detail } = describeGbcsApdu(payload);
      expect(detail).toMatchObject({
        cra: 'response',
        useCase,
        messageCode,
        originator: ESME,
        recipient: SUPPLIER_A,
        userCounter: Number(counter),
      });
      expect(decodeGbcsMessage(payload).frame).toBe(frame);
    });
  }

  it('the 11.2 payload reads as the firmware version the scenario expects (0.9.0)', () => {
    const callback = commissioning.find(
      (e) => e.kind === 'duisResponse' && e.summary.startsWith('callback 11.2 I0 '),
    ) as TraceEntry;
    const decoded = decodeDuisResponse(parseXml(xmlOf(callback)));
    const payload = decoded.kind === 'response' ? decoded.gbcsPayload : undefined;
    expect(describeGbcsApdu(payload as Uint8Array).detail).toMatchObject({
      contentProfile: 'gbcs',
      body: { firmwareVersion: '0.9.0' },
    });
  });

  it('DeviceAlertMessage 8F3D: GBCSPayload is the alert APDU the ESME raised, byte for byte', () => {
    const alerts = badSignature.filter((e) => e.kind === 'duisAlert' && e.summary.includes('0x8F3D'));
    expect(alerts.length).toBeGreaterThanOrEqual(1);
    const sent = fromDevice(badSignature);
    for (const entry of alerts) {
      const decoded = decodeDuisResponse(parseXml(xmlOf(entry)));
      if (decoded.kind !== 'deviceAlert') throw new Error(`not a DeviceAlertMessage: ${decoded.kind}`);
      expect(decoded.alertCode).toBe('0x8F3D');
      expect(sent).toContain(hex(decoded.gbcsPayload));
      expect(describeGbcsApdu(decoded.gbcsPayload).detail).toMatchObject({ cra: 'alert', originator: ESME });
      expect(describeGbcsApdu(decoded.gbcsPayload).summary).toContain('0x8F3D');
    }
  });

  it('non-device answers carry no GBCSPayload; the MQTT-form trace entries never hold the APDU', () => {
    const nonDevice = commissioning.filter(
      (e) => e.kind === 'duisResponse' && /^HTTP (12\.2|8\.11|8\.4) /.test(e.summary),
    );
    expect(nonDevice.length).toBeGreaterThanOrEqual(3);
    for (const e of nonDevice) expect(xmlOf(e)).not.toContain('GBCSPayload');
    for (const e of [...commissioning, ...badSignature])
      if (e.kind === 'serviceResponse' || e.kind === 'dccAlert')
        expect(e.detail ?? {}).not.toHaveProperty('gbcsPayload');
  });
});
