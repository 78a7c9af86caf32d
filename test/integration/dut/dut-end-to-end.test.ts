import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dutSuiteOptions } from '../../../harness/dut/dut-run.js';
import { writeProvisioning } from '../../../harness/dut/provisioning.js';
import { applicationCoverage } from '../../../harness/evidence/application-coverage.js';
import { parseApplication } from '../../../harness/evidence/application-file.js';
import { loadScenario } from '../../../harness/scenario/scenario-loader.js';
import { runSuite } from '../../../harness/suite/run-suite.js';
import {
  type EmbeddedBroker,
  startEmbeddedBroker,
} from '../../../simulator/adapters/mqtt/embedded-broker.js';
import { type Child, startChild, startPtyPair, startTrialsim } from '../../support/child-processes.js';

const SEED = 'dut-e2e';
const SCENARIOS = ['scenarios/commissioning.yaml', 'scenarios/ota-upgrade.yaml'];
const EUI = '00-12-4B-00-00-00-01-01';

/** Runs scenarios with esme1 played by whatever device is attached to the broker. */
async function runAgainstDut(
  brokerUrl: string,
  _outDir: string,
  files = SCENARIOS,
  resetGuardMs = 10_000,
  imageHashes?: Record<string, string>,
) {
  const dut = dutSuiteOptions({
    ids: ['esme1'],
    resetGuardMs,
    ...(imageHashes === undefined ? {} : { imageHashes }),
  });
  return runSuite({
    files,
    seed: SEED,
    brokerUrl,
    ...(dut.externalDevices === undefined ? {} : { externalDevices: dut.externalDevices }),
    ...(dut.onStackStarted === undefined ? {} : { onStackStarted: dut.onStackStarted }),
    reporters: dut.reporters,
  });
}

function summary(results: Awaited<ReturnType<typeof runAgainstDut>>): string[] {
  return results.scenarios.map((s) => `${s.id}: ${s.verdict}${s.message ? ` (${s.message})` : ''}`);
}

describe('a device under test in a separate process', () => {
  let broker: EmbeddedBroker;
  let dir: string;
  let provisioningFile: string;
  const children: Child[] = [];
  const start = (child: Child) => {
    children.push(child);
    return child;
  };

  beforeAll(async () => {
    broker = await startEmbeddedBroker();
    dir = await mkdtemp(join(tmpdir(), 'trialsim-dut-'));
    const scenario = await loadScenario('scenarios/commissioning.yaml');
    const spec = scenario.devices.find((d) => d.id === 'esme1');
    if (spec === undefined) throw new Error('commissioning.yaml has no esme1');
    provisioningFile = await writeProvisioning(join(dir, 'esme1'), {
      seed: SEED,
      spec,
      start: scenario.start,
      brokerUrl: broker.url,
      namespace: 'dut',
    });
  });

  afterEach(async () => {
    await Promise.allSettled(children.splice(0).map((c) => c.stop()));
  });

  afterAll(async () => {
    await broker?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('commissioning and OTA upgrade pass against a device process connected straight to the broker', async () => {
    const device = start(startTrialsim(['device', '--provision', provisioningFile, '--broker', broker.url]));
    await device.waitFor(/trialsim device: ready/, 'stdout');
    const results = await runAgainstDut(broker.url, join(dir, 'mqtt-run'));
    expect(summary(results)).toEqual(['commissioning: passed', 'ota-upgrade: passed']);
    // Device timers run on the run's virtual clock (PROTOCOL §8.4): a future-dated 11.3 fires at 02:00.
    const timed = await runAgainstDut(broker.url, join(dir, 'mqtt-timers'), [
      'test/integration/dut/scenarios/future-dated-activation-dut.yaml',
    ]);
    expect(summary(timed)).toEqual(['future-dated-activation-dut: passed']);
    // The device, not a simulated stand-in, did the work: its own process logged the commands.
    expect(device.stderr()).toMatch(/reset \(new\)/);
    expect(device.stderr().match(/command handled: executed/g)?.length).toBeGreaterThanOrEqual(8);
  });

  it('the evidence binds the image the device under test ran: shown by its 11.3 answer, else as declared; another image than the application names does not cover it', async () => {
    const device = start(startTrialsim(['device', '--provision', provisioningFile, '--broker', broker.url]));
    await device.waitFor(/trialsim device: ready/, 'stdout');
    const declared = 'ab'.repeat(32);
    const results = await runAgainstDut(broker.url, join(dir, 'image-run'), SCENARIOS, 10_000, {
      esme1: declared,
    });
    expect(summary(results)).toEqual(['commissioning: passed', 'ota-upgrade: passed']);
    const esme = (scenario: string) =>
      results.scenarios.find((s) => s.id === scenario)?.devices?.find((d) => d.id === 'esme1');
    // Commissioning activates nothing: the image is the operator's word, and marked so.
    expect(esme('commissioning')).toMatchObject({
      role: 'device under test',
      firmwareImageHash: declared,
      firmwareImageHashFrom: 'declared by the operator',
    });
    // The OTA upgrade's 11.3 was answered with success by the device: that image, shown by it.
    const upgraded = esme('ota-upgrade');
    expect(upgraded?.firmwareImageHashFrom).toBe('shown by the device');
    expect(upgraded?.firmwareImageHash).toMatch(/^[0-9a-f]{64}$/);
    expect(upgraded?.firmwareImageHash).not.toBe(declared);
    const file = 'fixtures/application/example-application.yaml';
    const base = parseApplication(await readFile(file, 'utf8'), file);
    const onDeclared = applicationCoverage(
      { ...base, deviceModel: { ...base.deviceModel, firmwareImageHash: declared } },
      { scenarios: results.scenarios.filter((s) => s.id === 'commissioning') },
    );
    expect(onDeclared.verdict).toBe('covered');
    // The whole run: in ota-upgrade the device ran another image than the application names.
    const whole = applicationCoverage(
      { ...base, deviceModel: { ...base.deviceModel, firmwareImageHash: declared } },
      results,
    );
    expect(whole.verdict).toBe('not covered');
    expect(whole.reasons.join(' ')).toContain(
      `ran firmware image ${upgraded?.firmwareImageHash} (shown by the device), not the application's ${declared}`,
    );
  });

  it('commissioning and OTA upgrade pass against a device on the far side of a socat pty pair, through trialsim bridge', async () => {
    const pty = await startPtyPair();
    start(pty.child);
    const device = start(
      startTrialsim(['device', '--provision', provisioningFile, '--serial', pty.a, '--baud', '115200']),
    );
    await device.waitFor(/trialsim device: ready/, 'stdout');
    const bridge = start(
      startTrialsim([
        'bridge',
        '--serial',
        pty.b,
        '--baud',
        '115200',
        '--device',
        EUI,
        '--broker',
        broker.url,
        '--namespace',
        'dut',
      ]),
    );
    await bridge.waitFor(/trialsim bridge: ready/, 'stdout');
    const results = await runAgainstDut(broker.url, join(dir, 'serial-run'));
    expect(summary(results)).toEqual(['commissioning: passed', 'ota-upgrade: passed']);
    expect(device.stderr()).toMatch(/command handled: executed/);
    expect(bridge.stderr()).not.toMatch(/framing error/);

    // Line noise from the device's side reaches the bridge as a reported framing error.
    await writeFile(pty.a, Buffer.from([0x13, 0x37, 0xff, 0x00]));
    await bridge.waitFor(/framing error \(\w+\)/, 'stderr');
    expect(bridge.process.exitCode).toBeNull();
  });

  it('the bridge survives the device resetting: the line drops, comes back, and the next run passes', async () => {
    const links = { a: join(dir, 'tty-device'), b: join(dir, 'tty-bridge') };
    const socatArgs = ['-d', '-d', `pty,raw,echo=0,link=${links.a}`, `pty,raw,echo=0,link=${links.b}`];
    let socat = start(startChild('socat', socatArgs));
    await socat.waitFor(/PTY is[\s\S]*PTY is/, 'stderr');
    let device = start(startTrialsim(['device', '--provision', provisioningFile, '--serial', links.a]));
    await device.waitFor(/trialsim device: ready/, 'stdout');
    const bridge = start(
      startTrialsim(['bridge', '--serial', links.b, '--device', EUI, '--broker', broker.url]),
    );
    await bridge.waitFor(/trialsim bridge: ready/, 'stdout');

    // The device resets: its process and its end of the line go away, then come back.
    await device.stop();
    await socat.stop();
    await bridge.waitFor(/serial port closed/, 'stderr');
    socat = start(startChild('socat', socatArgs));
    await socat.waitFor(/PTY is[\s\S]*PTY is/, 'stderr');
    device = start(startTrialsim(['device', '--provision', provisioningFile, '--serial', links.a]));
    await device.waitFor(/trialsim device: ready/, 'stdout');
    await bridge.waitFor(/serial port reopened/, 'stderr');

    const results = await runAgainstDut(broker.url, join(dir, 'reset-run'), ['scenarios/commissioning.yaml']);
    expect(summary(results)).toEqual(['commissioning: passed']);
    expect(bridge.process.exitCode).toBeNull();
    // Four processes started in turn: ~25 s alone, more beside other suites on 2 cores (a hang guard).
  }, 90_000);

  it('a run whose device under test is absent ends in a clear error, not a hang', async () => {
    const results = await runAgainstDut(
      broker.url,
      join(dir, 'absent-run'),
      ['scenarios/commissioning.yaml'],
      1_000,
    );
    expect(results.scenarios[0]?.verdict).toBe('error');
    expect(results.scenarios[0]?.message).toMatch(
      /did not answer a reset within 1000 ms on trialsim\/v1\/dut\/dut\/status/,
    );
  });

  it('a device provisioned from another seed is refused with a message saying so', async () => {
    const scenario = await loadScenario('scenarios/commissioning.yaml');
    const spec = scenario.devices.find((d) => d.id === 'esme1');
    if (spec === undefined) throw new Error('no esme1');
    const other = await writeProvisioning(join(dir, 'other-seed'), {
      seed: 'another seed',
      spec,
      start: scenario.start,
      brokerUrl: broker.url,
      namespace: 'dut',
    });
    const device = start(startTrialsim(['device', '--provision', other]));
    await device.waitFor(/trialsim device: ready/, 'stdout');
    const results = await runAgainstDut(broker.url, join(dir, 'seed-run'), ['scenarios/commissioning.yaml']);
    expect(results.scenarios[0]?.verdict).toBe('error');
    expect(results.scenarios[0]?.message).toMatch(/provision it with the run's seed/);
  });

  it('trialsim run --dut writes conformance.json saying which device requirements passed', async () => {
    const device = start(startTrialsim(['device', '--provision', provisioningFile, '--broker', broker.url]));
    await device.waitFor(/trialsim device: ready/, 'stdout');
    const out = join(dir, 'cli-evidence');
    const run = start(
      startTrialsim([
        'run',
        'scenarios/commissioning.yaml',
        '--seed',
        SEED,
        '--dut',
        'esme1',
        '--broker',
        broker.url,
        '--out',
        out,
      ]),
    );
    await new Promise((resolve) => run.process.once('exit', resolve));
    expect(run.process.exitCode, run.stderr()).toBe(0);
    expect(run.stdout()).toMatch(/passed +EV-COMMISSION-COMMISSION/);
    const report = JSON.parse(await readFile(join(out, 'conformance.json'), 'utf8')) as {
      verdict: string;
      requirements: { requirement: string; verdict: string }[];
    };
    expect(report.verdict).toBe('passed');
    expect(report.requirements).toContainEqual(
      expect.objectContaining({ requirement: 'EV-COMMISSION-COMMISSION', verdict: 'passed' }),
    );
    // The evidence says which device was the real one, and on which broker the run took place.
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as {
      scenarios: { devices: { id: string; role: string }[]; environment: { broker: unknown } }[];
    };
    const [scenario] = results.scenarios;
    expect(scenario?.devices.find((d) => d.id === 'esme1')?.role).toBe('device under test');
    expect(scenario?.devices.find((d) => d.id === 'chf1')?.role).toBe('simulated');
    // aedes (trialsim broker) announces no software on $SYS; its round trips are measured.
    expect(scenario?.environment.broker).toEqual({
      kind: 'external',
      url: broker.url,
      timing: { roundTripMs: expect.any(Number), pairedRoundTripMs: expect.any(Number), nagleDelay: false },
    });
    // report.html shows the conformance results the suite handed to the bundle.
    const page = await readFile(join(out, 'report.html'), 'utf8');
    expect(page).toContain('id="conformance"');
    expect(page).toMatch(/<tr class="dut"><td>device under test<\/td><td>esme1/);
  }, 60_000);
});
