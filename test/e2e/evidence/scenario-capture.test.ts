import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResults, ScenarioResult } from '../../../harness/results/result-types.js';
import { tempDir, trialsim } from '../../support/cli-in-process.js';

/**
 * TRIALS.md "End of trial" as the evidence shows it: the SMI timeline and the trial figures
 * captured at the end of each scenario mark devices upgraded, removed and overdue.
 */
let work: { path: string; remove: () => Promise<void> };
let results: RunResults;
const scenario = (id: string) => results.scenarios.find((s) => s.id === id) as ScenarioResult;

beforeAll(async () => {
  work = await tempDir('capture');
  const out = join(work.path, 'evidence');
  const run = await trialsim(
    'run',
    'scenarios/ota-upgrade.yaml',
    'scenarios/trial-expiry-and-removal.yaml',
    '--out',
    out,
  );
  expect(run.code, run.stderr).toBe(0);
  results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
}, 60_000);
afterAll(() => work.remove());

describe('captured timeline and report figures', () => {
  it('results.json is schema v3 with a run id, and every step records its expectation and virtual end', () => {
    expect(results.schemaVersion).toBe(3);
    expect(results.runId).toMatch(/^run-/);
    const step = scenario('ota-upgrade').steps.find((s) => s.expectation !== undefined);
    expect(step?.virtualEnd).toMatch(/^2027-/);
  });

  it('an OTA upgrade to CPA-certified firmware shows as "upgraded" and is counted in the trial figures', () => {
    const s = scenario('ota-upgrade');
    const events = s.timeline?.devices.flatMap((d) => d.events.map((e) => `${d.device}:${e.kind}`));
    expect(events).toContain('esme1:upgraded');
    expect(s.reports?.trialFigures[0]?.upgraded).toBe(1);
  });

  it('at the trial end a removed device shows "removed" and one still on trial firmware "overdue"', () => {
    const s = scenario('trial-expiry-and-removal');
    const kinds = (id: string) =>
      s.timeline?.devices.find((d) => d.device === id)?.events.map((e) => e.kind) ?? [];
    expect(kinds('esme1')).toContain('removed');
    expect(kinds('esme2')).toContain('overdue');
    const figures = s.reports?.trialFigures[0];
    expect(figures).toMatchObject({ trialId: 'T-0001', removed: 1, overdue: 1, ended: true });
    const statuses = s.timeline?.devices.find((d) => d.device === 'esme2')?.segments.map((seg) => seg.status);
    expect(statuses).toContain('Suspended');
  });

  it('every device is recorded: simulated, its Device Model, its firmware at start and end, its trial', () => {
    const s = scenario('ota-upgrade');
    const esme = s.devices?.find((d) => d.id === 'esme1');
    expect(esme).toMatchObject({ role: 'simulated', deviceType: 'ESME', trialId: 'T-0001' });
    expect(esme?.firmwareVersionAtEnd).toBeDefined();
    expect(esme?.firmwareVersionAtEnd).not.toBe(esme?.firmwareVersion);
    // The image it was upgraded to was distributed in the scenario, so its hash is known.
    expect(esme?.firmwareImageHash).toMatch(/^[0-9a-f]{64}$/);
    expect(s.devices?.every((d) => d.role === 'simulated')).toBe(true);
    expect(s.devices?.map((d) => d.id).sort()).toEqual(s.timeline?.devices.map((d) => d.device).sort());
  });

  it('the environment names the broker and the wire the scenario ran on', () => {
    const env = scenario('ota-upgrade').environment;
    // The embedded broker's port changes from run to run: not recorded, so evidence reproduces.
    expect(env?.broker).toEqual({ kind: 'embedded' });
    expect(env?.deviceWire).toMatch(/^GBCS APDUs over MQTT/);
  });

  it('the wire statement lists the use cases that travelled and claims no GBCS payload the catalogue does not mark', () => {
    const env = scenario('ota-upgrade').environment;
    const travelled = [
      ...(env?.deviceMessages?.gbcsPayload ?? []),
      ...(env?.deviceMessages?.trialsimProfile ?? []),
    ];
    // 11.2 on the ESME is ECS52; 11.3 is CS06; 11.1 has no GBCS command (trialsim's 0xFF0B).
    expect(travelled.map((u) => u.messageCode)).toEqual(
      expect.arrayContaining(['0x0059', '0x0012', '0xFF0B']),
    );
    expect(env?.deviceMessages?.gbcsPayload.map((u) => u.messageCode)).not.toContain('0xFF0B');
    for (const u of env?.deviceMessages?.trialsimProfile ?? [])
      expect(env?.deviceWire).toContain(u.messageCode);
    // The suite's Users speak trialsim's envelope over MQTT, and the evidence says so.
    expect(env?.users?.duis).toEqual([]);
    expect(env?.users?.envelope).toContain('supplier-a');
    expect(env?.userInterface).toMatch(/CBOR service-request envelope over MQTT \(not DUIS XML\)/);
    expect(env?.userInterface).not.toMatch(/DUIS XML over HTTP/);
  });

  it('OPR figures leave out service requests for trial devices', () => {
    const opr = scenario('trial-expiry-and-removal').reports?.oprFigures;
    expect(opr?.trialDeviceRequests).toBeGreaterThan(0);
    expect(opr?.counted).toBe((opr?.serviceRequests ?? 0) - (opr?.trialDeviceRequests ?? 0));
  });
});
