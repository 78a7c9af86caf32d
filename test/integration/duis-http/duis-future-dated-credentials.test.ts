import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, SCENARIOS_DIR } from '../../../harness/package-root.js';
import type { ScenarioTrace } from '../../../harness/results/scenario-trace.js';
import { loadScenario } from '../../../harness/scenario/scenario-loader.js';
import { runScenario } from '../../../harness/scenario/scenario-runner.js';
import { DuisSchema } from '../../../simulator/adapters/duis-http/xsd-validator.js';
import { decodeDuisResponse } from '../../../simulator/domain/duis/xml/duis-response-xml.js';
import { parseXml } from '../../../simulator/domain/duis/xml/duis-xml.js';
import { decodeGbcsMessage } from '../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import { decodeFutureDatedCredentialsAlert } from '../../../simulator/domain/gbcs/payloads/asn1/cs02b.js';
import type { TraceEntry } from '../../../simulator/trace/message-trace.js';

/**
 * A future-dated 6.15.1 end to end over DUIS HTTP (docs/domain/DUIS.md §3.1 shapes 4 and 5,
 * GBCS.md §7.8): the built-in future-dated-credentials scenario with supplier-a speaking DUIS.
 * Its UpdateSecurityCredentialsKRP carries ExecutionDateTime first; the callback gets the
 * device's `30 02 05 00` as the response; and when the virtual clock passes 02:00 the callback
 * gets a ResponseMessage for 6.15.1 carrying FutureDatedDeviceAlertMessage 8F66 whose
 * GBCSPayload is the 0x00CB alert the ESME sent, byte for byte, XSD-valid.
 */
const ESME = '00-12-4B-00-00-00-01-01';
const SUPPLIER_A = '90-B3-D5-1F-30-01-00-00';
let entries: TraceEntry[];
let schema: DuisSchema;

beforeAll(async () => {
  schema = await DuisSchema.load(join(FIXTURES_DIR, 'duis', 'xsd'));
  const dir = await mkdtemp(join(tmpdir(), 'trialsim-duis-fdcs-'));
  const file = join(dir, 'future-dated-credentials.yaml');
  const text = await readFile(join(SCENARIOS_DIR, 'future-dated-credentials.yaml'), 'utf8');
  await writeFile(file, `${text}\nparties:\n  supplier-a: { interface: duis }\n`);
  const traces: ScenarioTrace[] = [];
  const result = await runScenario(await loadScenario(file), {
    seed: 'duis-future-dated-credentials',
    onTrace: (t) => traces.push(t),
  });
  expect(result.verdict, JSON.stringify(result.steps.map((s) => [s.verdict, s.message]))).toBe('passed');
  entries = traces.flatMap((t) => [...t.entries]);
}, 120_000);

const xmlOf = (e: TraceEntry) => String((e.detail as { xml?: string } | undefined)?.xml);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('future-dated 6.15.1 over DUIS HTTP', () => {
  it('the request carries ExecutionDateTime before the SRV fields, and nothing was refused at the boundary', () => {
    const requests = entries.filter((e) => e.kind === 'duisRequest' && e.summary.includes(' 6.15.1 CV 4 '));
    expect(requests).toHaveLength(3);
    expect(xmlOf(requests[0] as TraceEntry)).toMatch(
      /<sr:UpdateSecurityCredentialsKRP><sr:ExecutionDateTime>2027-01-05T01:00:00(\.000)?Z<\/sr:ExecutionDateTime><sr:RemotePartyRole>Supplier</,
    );
    expect(entries.filter((e) => e.kind === 'duisRefusal')).toEqual([]);
  });

  it('the callback answers each with the device-signed 30 02 05 00 (command accepted)', () => {
    const callbacks = entries.filter(
      (e) => e.kind === 'duisResponse' && e.summary.startsWith('callback 6.15.1 I0 '),
    );
    expect(callbacks).toHaveLength(3);
    for (const callback of callbacks) {
      const decoded = decodeDuisResponse(parseXml(xmlOf(callback)));
      if (decoded.kind !== 'response' || decoded.gbcsPayload === undefined) throw new Error('no GBCSPayload');
      expect(hex(decodeGbcsMessage(decoded.gbcsPayload).apdu.content)).toBe('30020500');
    }
  });

  it('after 02:00 the callback delivers FutureDatedDeviceAlertMessage 8F66 with the 0x00CB the ESME sent, XSD-valid', async () => {
    const alerts = entries.filter((e) => e.kind === 'duisAlert' && e.summary.includes('0x8F66'));
    expect(alerts).toHaveLength(1);
    const xml = xmlOf(alerts[0] as TraceEntry);
    expect(await schema.validate(xml)).toEqual({ valid: true });
    expect(xml).toContain(
      '<sr:ServiceReference>6.15</sr:ServiceReference><sr:ServiceReferenceVariant>6.15.1</sr:ServiceReferenceVariant><sr:FutureDatedDeviceAlertMessage><sr:FutureDatedAlertCode>8F66</sr:FutureDatedAlertCode>',
    );
    const decoded = decodeDuisResponse(parseXml(xml));
    if (decoded.kind !== 'response' || decoded.gbcsPayload === undefined)
      throw new Error(`a ${decoded.kind}`);
    expect(decoded).toMatchObject({
      content: 'FutureDatedDeviceAlertMessage',
      futureDatedAlertCode: '0x8F66',
    });
    expect(Date.parse(decoded.responseDateTime)).toBeGreaterThanOrEqual(Date.parse('2027-01-05T02:00:00Z'));
    const sent = entries
      .filter((e) => e.kind === 'gbcs' && e.from === ESME && e.to === 'DCC')
      .map((e) => String((e.detail as { apdu?: string }).apdu));
    expect(sent).toContain(hex(decoded.gbcsPayload));
    const { apdu, contentOffset } = decodeGbcsMessage(decoded.gbcsPayload);
    expect(apdu).toMatchObject({ cra: 'alert', originator: ESME, recipient: SUPPLIER_A });
    expect(apdu.otherInformation.messageCode).toBe(0x00cb);
    expect(decodeFutureDatedCredentialsAlert(apdu.content, contentOffset)).toMatchObject({
      alertCode: 0x8f66,
      executionDateTime: new Date('2027-01-05T02:00:00Z'),
      outcome: { mode: 2 },
    });
  });

  it('the other alerts stay DeviceAlertMessage (0x8F70 credentials updated)', () => {
    const updated = entries.find((e) => e.kind === 'duisAlert' && e.summary.includes('0x8F70'));
    expect(xmlOf(updated as TraceEntry)).toContain(
      '<sr:DeviceAlertMessage><sr:AlertCode>8F70</sr:AlertCode>',
    );
  });
});
