import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dutFactoryState } from '../../../../harness/dut/dut-factory-state.js';
import { parseDutArgument } from '../../../../harness/dut/dut-options.js';
import { ObservedDevice } from '../../../../harness/dut/observed-device.js';
import {
  factoryState,
  provisioningPki,
  readProvisioning,
  writeProvisioning,
} from '../../../../harness/dut/provisioning.js';
import { loadScenario } from '../../../../harness/scenario/scenario-loader.js';
import type { DeviceSpec } from '../../../../harness/stack/device-spec.js';
import { euiToBytes } from '../../../../simulator/domain/eui.js';
import type { GbcsPayload } from '../../../../simulator/domain/messages/gbcs-messages.js';
import { unprotectedApdu } from '../../../support/gbcs-frames.js';

describe('PROTOCOL §10 - provisioning a device under test', () => {
  let dir: string;
  let spec: DeviceSpec;
  let start: number;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trialsim-prov-'));
    const scenario = await loadScenario('scenarios/ota-upgrade.yaml');
    spec = scenario.devices.find((d) => d.id === 'esme1') as DeviceSpec;
    start = scenario.start;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a device built from its provisioning file starts exactly as the simulated device would', async () => {
    const file = await writeProvisioning(join(dir, 'a'), {
      seed: 's1',
      spec,
      start,
      brokerUrl: 'mqtt://127.0.0.1:1883',
      namespace: 'dut',
    });
    const provisioned = factoryState(await readProvisioning(file), start, false);
    const simulated = dutFactoryState(await provisioningPki('s1', start, [spec.eui]), spec, start);
    expect(provisioned).toEqual(simulated);
    expect(provisioned.trustAnchors.map((c) => `${c.role}/${c.keyUsage}`)).toContain(
      'accessControlBroker/keyAgreement',
    );
  });

  it('writes the PEM files beside provisioning.json, named in it', async () => {
    const file = await writeProvisioning(join(dir, 'b'), {
      seed: 's1',
      spec,
      start,
      brokerUrl: 'mqtt://127.0.0.1:1883',
      namespace: 'dut',
    });
    const provisioning = await readProvisioning(file);
    const pem = await readFile(join(dir, 'b', provisioning.certificates.ka), 'utf8');
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    for (const cell of provisioning.trustAnchors)
      await expect(readFile(join(dir, 'b', cell.certificate), 'utf8')).resolves.toMatch(/CERTIFICATE/);
    expect(provisioning.topics.wanDown).toBe(`trialsim/v1/dut/wan/down/${spec.eui}`);
  });

  it('refuses a provisioning file with a bad field, naming the file and the field', async () => {
    const file = await writeProvisioning(join(dir, 'c'), {
      seed: 's1',
      spec,
      start,
      brokerUrl: 'mqtt://127.0.0.1:1883',
      namespace: 'dut',
    });
    const json = JSON.parse(await readFile(file, 'utf8'));
    json.keys.kaPrivateKey = 'zz';
    await writeFile(file, JSON.stringify(json));
    await expect(readProvisioning(file)).rejects.toThrow(/provisioning\.json.*keys\.kaPrivateKey/);
    await expect(readProvisioning(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'USAGE' });
  });
});

describe('--dut argument', () => {
  it('takes a scenario device id, optionally =mqtt, and refuses anything else with the reason', () => {
    expect(parseDutArgument('esme1')).toEqual(['esme1']);
    expect(parseDutArgument('chf1=mqtt', ['esme1'])).toEqual(['esme1', 'chf1']);
    expect(() => parseDutArgument('esme1=serial:/dev/ttyUSB0')).toThrow(/trialsim bridge/);
    expect(() => parseDutArgument('=mqtt')).toThrow(/scenario device id/);
  });
});

describe('PROTOCOL §8.3 - what the harness sees of a device under test', () => {
  const device = euiToBytes('00-12-4B-00-00-00-01-01' as never);
  const supplier = euiToBytes('90-B3-D5-1F-30-01-00-00' as never);
  const acb = euiToBytes('90-B3-D5-1F-30-00-00-02' as never);
  const envelope = (payload: GbcsPayload) => unprotectedApdu(payload);
  const base = { dateTime: 1_800_000_000, body: {} };

  it('commissioned after a successful 8.1.1 response, firmware from 11.2, security alerts logged', async () => {
    const pki = await provisioningPki('s2', 0, ['00-12-4B-00-00-00-01-01' as never]);
    const spec = (await loadScenario('scenarios/commissioning.yaml')).devices.find(
      (d) => d.id === 'esme1',
    ) as DeviceSpec;
    const seen = new ObservedDevice(dutFactoryState(pki, spec, 0));
    seen.sawCommand(
      envelope({
        ...base,
        cra: 1,
        originator: supplier,
        recipient: device,
        counter: 4,
        messageCode: '8.1.1',
      }),
    );
    seen.sawDeviceMessage(
      envelope({
        ...base,
        cra: 2,
        originator: device,
        recipient: supplier,
        counter: 1,
        messageCode: '8.1.1',
        inResponseTo: 4,
        body: { status: 'success' },
      }),
    );
    seen.sawCommand(
      envelope({ ...base, cra: 1, originator: supplier, recipient: device, counter: 5, messageCode: '11.2' }),
    );
    seen.sawDeviceMessage(
      envelope({
        ...base,
        cra: 2,
        originator: device,
        recipient: supplier,
        counter: 2,
        messageCode: '11.2',
        inResponseTo: 5,
        body: { status: 'success', firmwareVersion: '1.2.3' },
      }),
    );
    seen.sawDeviceMessage(
      envelope({
        ...base,
        cra: 3,
        originator: device,
        recipient: acb,
        counter: 3,
        messageCode: '0x8F3D',
        body: { detail: 'bad signature' },
      }),
    );
    seen.sawDeviceMessage(
      envelope({
        ...base,
        cra: 3,
        originator: device,
        recipient: acb,
        counter: 4,
        messageCode: '0x8F69',
        body: {},
      }),
    );
    expect(seen.state.lifecycle).toBe('commissioned');
    expect(seen.state.firmwareVersion).toBe('1.2.3');
    expect(seen.state.securityLog.map((e) => e.code)).toEqual(['0x8F3D']);
    expect(seen.state.eventLog.map((e) => e.code)).toEqual(['0x8F69']);
  });

  it('a failed 8.1.1 answer does not count as commissioned, and garbage changes nothing', async () => {
    const pki = await provisioningPki('s2', 0, ['00-12-4B-00-00-00-01-01' as never]);
    const spec = (await loadScenario('scenarios/commissioning.yaml')).devices.find(
      (d) => d.id === 'esme1',
    ) as DeviceSpec;
    const seen = new ObservedDevice(dutFactoryState(pki, spec, 0));
    const before = seen.state;
    seen.sawCommand(
      envelope({
        ...base,
        cra: 1,
        originator: supplier,
        recipient: device,
        counter: 4,
        messageCode: '8.1.1',
      }),
    );
    seen.sawDeviceMessage(
      envelope({
        ...base,
        cra: 2,
        originator: device,
        recipient: supplier,
        counter: 1,
        messageCode: '8.1.1',
        inResponseTo: 4,
        body: { status: 'failure' },
      }),
    );
    seen.sawDeviceMessage(Uint8Array.of(0xff, 0x00, 0x13));
    expect(seen.state).toBe(before);
  });
});
