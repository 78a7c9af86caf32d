import { afterEach, describe, expect, it } from 'vitest';
import { loadFirmwareImage } from '../../../harness/scenario/firmware-fixtures.js';
import { loadDeviceModel } from '../../../harness/scenario/scenario-loader.js';
import type { DeviceSpec } from '../../../harness/stack/device-spec.js';
import { DCC_EUI } from '../../../harness/stack/parties.js';
import { SimStack } from '../../../harness/stack/sim-stack.js';
import type { CplEntry } from '../../../simulator/domain/cpl/cpl-entry.js';
import { type Eui, euiToBytes, parseEui } from '../../../simulator/domain/eui.js';
import {
  encodeMacProtected,
  encodeSignedAndMacProtected,
} from '../../../simulator/domain/gbcs/protection/gbcs-protect.js';
import type { GbcsFrame, GbcsPayload } from '../../../simulator/domain/messages/gbcs-messages.js';
import type { FinalOutcome } from '../../../simulator/parties/dcc-user-agent.js';
import { commandApdu } from '../../support/device-fixture.js';

/**
 * The device on the real embedded broker, with the DCC, the users and the virtual clock of a
 * scenario run. Rejections are provoked the way an attacker on the WAN would: frames the DCC
 * never built, put on the device's link (through the DCC node, which is the only party the
 * broker lets publish there).
 */
const START = Date.parse('2027-01-04T09:00:00Z');

async function spec(
  id: string,
  model: string,
  eui: string,
  extra: Partial<DeviceSpec> = {},
): Promise<DeviceSpec> {
  const loaded = await loadDeviceModel(model);
  return {
    id,
    eui: parseEui(eui),
    ...loaded.model,
    supplier: 'supplier-a',
    networkOperator: 'network-operator',
    chf: id === 'chf1' ? undefined : 'chf1',
    preinstalled: true,
    ...extra,
  };
}

function cplFor(specs: readonly DeviceSpec[], extra: readonly Partial<CplEntry>[] = []): CplEntry[] {
  return [...specs, ...extra.map((e) => ({ ...specs[1], ...e }) as DeviceSpec)].map((d) => ({
    deviceType: d.deviceType,
    manufacturer: d.manufacturer,
    model: d.model,
    hardwareVersion: d.hardwareVersion,
    firmwareVersion: d.firmwareVersion,
    cpaCertificateReference: 'CPA-2027-0001',
    status: 'Active' as const,
    imageHash: undefined,
  }));
}

let stack: SimStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

function code(outcome: FinalOutcome): string {
  return outcome.kind === 'response' ? outcome.response.responseCode : (outcome.alert.alertCode ?? '?');
}

/** A command as an attacker (or a faulty DCC path) would put it on the device's WAN link. */
async function inject(s: SimStack, device: Eui, frame: GbcsFrame): Promise<void> {
  await s.dcc.execute([{ type: 'toDevice', device, frame }]);
  await s.settle();
}

function command(originator: Eui, device: Eui, messageCode: string, counter: number, body = {}): GbcsPayload {
  return {
    cra: 1,
    originator: euiToBytes(originator),
    recipient: euiToBytes(device),
    counter,
    dateTime: Math.floor(START / 1000),
    messageCode,
    body,
  };
}

/** The command as the ACB would MAC it for the device (after `signer`'s signature, when given). */
function macAsAcb(s: SimStack, payload: GbcsPayload, device: Eui, signer?: Uint8Array): GbcsFrame {
  const keys = {
    ownKaPrivateKey: s.pki.organisation('acb').ka.keys.privateKey,
    peerKaPublicKey: s.pki.device(device).ka.keys.publicKey,
  };
  const apdu = commandApdu(payload);
  return {
    apdu:
      signer === undefined ? encodeMacProtected(apdu, keys) : encodeSignedAndMacProtected(apdu, signer, keys),
  };
}

describe('device rejections over the broker (DCC.md §8)', () => {
  it('0x8F3D, 0x8F30, 0x8F3E, 0x8F1E - each refused, logged in the security log, raised to the DCC, state unchanged', async () => {
    const devices = [
      await spec('chf1', 'acme-comms-hub', '00-12-4B-00-00-00-00-01'),
      await spec('esme1', 'acme-trial-esme', '00-12-4B-00-00-00-01-01'),
    ];
    stack = await SimStack.start({ seed: 'device-rejections', start: START, devices, cpl: cplFor(devices) });
    const esme = devices[1] as DeviceSpec;
    const supplier = stack.user('supplier-a');
    const node = stack.device('esme1');

    // 0x8F3D: a critical command whose signature does not verify (through the DCC, CV 4 → 5).
    const bad = await supplier.request({
      srv: '11.3',
      target: esme.eui,
      body: { imageHash: new Uint8Array(32) },
      signing: 'corrupt',
    }).final;
    expect(code(bad)).toBe('0x8F3D');

    // 0x8F30: the network operator's genuine signature on a command only a supplier may send.
    const no = stack.pki.organisation('network-operator');
    const payload = command(no.eui, esme.eui, '11.3', 5, { imageHash: new Uint8Array(32) });
    const before = node.state;
    await inject(stack, esme.eui, macAsAcb(stack, payload, esme.eui, no.ds.keys.privateKey));
    expect(node.outcomes.at(-1)).toBe('0x8F30');

    // 0x8F3E: a supplier command replayed with a counter the device already accepted.
    const read = await supplier.request({ srv: '11.2', target: esme.eui }).final;
    expect(code(read)).toBe('I0');
    const replayed = command(supplier.eui, esme.eui, '11.2', supplier.lastCounter);
    await inject(stack, esme.eui, macAsAcb(stack, replayed, esme.eui));
    expect(node.outcomes.at(-1)).toBe('0x8F3E');

    // 0x8F1E: bytes that are not a GBCS command at all.
    await inject(stack, esme.eui, { apdu: Uint8Array.from([0xff, 0x00, 0x13, 0x37]) });
    expect(node.outcomes.at(-1)).toBe('0x8F1E');

    const logged = node.state.securityLog.map((e) => e.code);
    for (const rejection of ['0x8F3D', '0x8F30', '0x8F3E', '0x8F1E']) {
      expect(logged).toContain(rejection);
      expect(supplier.alerts.some((a) => a.alert === 'DeviceAlert' && a.alertCode === rejection)).toBe(true);
    }
    expect(node.state.firmwareVersion).toBe(before.firmwareVersion);
    expect(node.state.lastCounters).toEqual({ ...before.lastCounters, [supplier.eui]: supplier.lastCounter });
  });
});

describe('8.3 decommissioning reaches the device', () => {
  it('8.3 - the DCC notifies the device, which then refuses operational commands', async () => {
    const devices = [
      await spec('chf1', 'acme-comms-hub', '00-12-4B-00-00-00-00-01'),
      await spec('esme1', 'acme-trial-esme', '00-12-4B-00-00-00-01-01'),
    ];
    stack = await SimStack.start({
      seed: 'device-decommission',
      start: START,
      devices,
      cpl: cplFor(devices),
    });
    const esme = devices[1] as DeviceSpec;
    const supplier = stack.user('supplier-a');
    const done = await supplier.request({ srv: '8.3', target: DCC_EUI, body: { deviceId: esme.eui } }).final;
    expect(code(done)).toBe('I0');
    await stack.settle();
    expect(stack.device('esme1').state.lifecycle).toBe('decommissioned');
    // The DCC refuses SRs to it (E5) …
    expect(code(await supplier.request({ srv: '11.2', target: esme.eui }).final)).toBe('E5');
    // … and a command that reaches the device anyway does nothing.
    const outcomes = stack.device('esme1').outcomes.length;
    await inject(stack, esme.eui, macAsAcb(stack, command(supplier.eui, esme.eui, '4.1.1', 1_000), esme.eui));
    expect(stack.device('esme1').outcomes.length).toBe(outcomes + 1);
    const reply = stack.trace
      .all()
      .filter((e) => e.from === esme.eui)
      .at(-1);
    // ECS17b's failure form (the DLMS other-reason result, PROTOCOL.md §5.2): GBCS carries no
    // reason text, so the trace shows the failure the device answered, not why.
    expect(reply?.detail).toMatchObject({ useCase: 'ECS17b', body: { status: 'failure', result: 250 } });
  });
});

describe('device types (DCC.md §6)', () => {
  it('GSME is reached through its GPF: with the GPF dark, the DCC gets no answer (E21)', async () => {
    const devices = [
      await spec('chf1', 'acme-comms-hub', '00-12-4B-00-00-00-00-01'),
      await spec('gpf1', 'acme-gpf', '00-12-4B-00-00-00-00-02'),
      await spec('gsme1', 'acme-gsme', '00-12-4B-00-00-00-02-01'),
    ];
    stack = await SimStack.start({ seed: 'device-gsme', start: START, devices, cpl: cplFor(devices) });
    const gsme = devices[2] as DeviceSpec;
    const supplier = stack.user('supplier-a');
    expect(code(await supplier.request({ srv: '11.2', target: gsme.eui }).final)).toBe('I0');
    await stack.device('gpf1').setPower(false);
    const handle = supplier.request({ srv: '11.2', target: gsme.eui });
    await handle.firstResponse;
    await stack.advanceTo(START + 120_000);
    expect(code(await handle.final)).toBe('E21');
    expect(stack.device('gsme1').outcomes.at(-1)).toBe('unreachable');
    await stack.device('gpf1').setPower(true);
    expect(code(await supplier.request({ srv: '11.2', target: gsme.eui }).final)).toBe('I0');
  });

  it('Type 2 (IHD) holds no trust anchors and has no SMI status', async () => {
    const devices = [
      await spec('chf1', 'acme-comms-hub', '00-12-4B-00-00-00-00-01'),
      await spec('ihd1', 'acme-ihd', '00-12-4B-00-00-00-03-01', { preinstalled: false }),
    ];
    stack = await SimStack.start({ seed: 'device-ihd', start: START, devices, cpl: cplFor(devices) });
    const ihd = devices[1] as DeviceSpec;
    expect(stack.device('ihd1').state.trustAnchors).toEqual([]);
    expect(stack.dcc.core.state.smi.has(ihd.eui)).toBe(false);
    const supplier = stack.pki.organisation('supplier-a');
    await inject(stack, ihd.eui, macAsAcb(stack, command(supplier.eui, ihd.eui, '11.2', 1), ihd.eui));
    expect(stack.device('ihd1').outcomes.at(-1)).toBe('0x8F3D');
  });

  it('HCALCS EV charger controller (the innovative trial device) takes an OTA upgrade with its 20 s reboot', async () => {
    const devices = [
      await spec('chf1', 'acme-comms-hub', '00-12-4B-00-00-00-00-01'),
      await spec('evc1', 'acme-ev-charger', '00-12-4B-00-00-00-04-01'),
    ];
    stack = await SimStack.start({
      seed: 'device-evc',
      start: START,
      devices,
      cpl: cplFor(devices, [{ model: 'ACME-EVC-1', deviceType: 'HCALCS', firmwareVersion: '1.0.0' }]),
    });
    const evc = devices[1] as DeviceSpec;
    const supplier = stack.user('supplier-a');
    const image = await loadFirmwareImage('acme-evc-1.0.0', stack.pki);
    const distributed = await supplier.request({
      srv: '11.1',
      body: { image: image.bytes, firmwareVersion: '1.0.0', deviceIds: [evc.eui] },
    }).final;
    expect(distributed.kind === 'response' && distributed.response.body?.distributedTo).toEqual([evc.eui]);
    await stack.settle();
    expect(supplier.alerts.some((a) => a.alertCode === '0x8F8A')).toBe(true);
    const activation = supplier.request({
      srv: '11.3',
      target: evc.eui,
      body: { imageHash: Buffer.from(image.hash, 'hex') },
    });
    await activation.firstResponse;
    await stack.settle();
    expect(stack.device('evc1').state.firmwareVersion).toBe('0.3.0');
    await stack.advanceTo(START + 30_000);
    const final = await activation.final;
    expect(final.kind === 'response' && final.response.body).toMatchObject({
      status: 'success',
      firmwareVersion: '1.0.0',
    });
    expect(stack.dcc.core.state.smi.get(evc.eui)?.firmwareVersion).toBe('1.0.0');
    // DCC.md §10 step 3: an expected change, not a mismatch.
    expect(supplier.alerts.some((a) => a.alert === 'FirmwareVersionMismatch')).toBe(false);
  });
});
