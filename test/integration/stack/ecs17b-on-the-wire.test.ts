import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceSpec } from '../../../harness/stack/device-spec.js';
import { SimStack } from '../../../harness/stack/sim-stack.js';
import { parseEui } from '../../../simulator/domain/eui.js';
import { decodeGbcsMessage } from '../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import {
  decodeEcs17bCommand,
  decodeEcs17bResponse,
} from '../../../simulator/domain/gbcs/payloads/esme/ecs17b.js';
import { ecdhSharedSecret } from '../../../simulator/domain/gbcs/protection/ecdh-shared-secret.js';
import { openEcs17bRegisters } from '../../../simulator/domain/services/content/read-import-registers-content.js';

/**
 * 4.1.1 end to end on the broker (GBCS.md §4.3, §7.2; simulator/PROTOCOL.md §5.2): the bytes on
 * the device wire are ECS17b, message code 0x0027, the command naming the User and the ESME and
 * the response carrying the registers encrypted for that User; the DCC relays them unread and
 * the User's agent opens them into the body it always had.
 */
const START = Date.parse('2027-01-04T09:00:00Z');
const ESME: DeviceSpec = {
  id: 'esme1',
  eui: parseEui('00-12-4B-00-00-00-01-01'),
  deviceType: 'ESME',
  manufacturer: 'Acme Meters Ltd',
  model: 'ACME-E-100',
  hardwareVersion: '3.0',
  firmwareVersion: '3.2.0',
  supplier: 'supplier-a',
  networkOperator: 'network-operator',
  chf: undefined,
  preinstalled: true,
};
const CPL = [
  { ...ESME, cpaCertificateReference: 'CPA-2023-0042', status: 'Active' as const, imageHash: undefined },
];

describe('4.1.1 on the device wire is ECS17b', () => {
  let stack: SimStack;
  beforeAll(async () => {
    stack = await SimStack.start({ seed: 'ecs17b-wire', start: START, devices: [ESME], cpl: CPL });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('the command and the response are the ECS17b bytes; the Supplier’s agent reads the registers they carry', async () => {
    const from = stack.trace.since(0).length;
    await stack.advanceTo(START + 86_400_000);
    const outcome = await stack.user('supplier-a').request({ srv: '4.1.1', target: ESME.eui }).final;
    await stack.settle();
    const body = outcome.kind === 'response' ? outcome.response.body : undefined;
    // A day at the reference device's 400 W since the stack started.
    expect(body).toEqual({ status: 'success', importRegisterWh: 9600 });

    const wire = stack.trace
      .since(from)
      .filter((e) => e.kind === 'gbcs' && e.detail?.messageCode === '0x0027')
      .map((e) => ({
        profile: e.detail?.contentProfile,
        message: decodeGbcsMessage(Buffer.from(String(e.detail?.apdu), 'hex')),
      }));
    expect(wire.map((w) => `${w.message.apdu.cra} ${w.profile}`)).toEqual(['command gbcs', 'response gbcs']);
    const [command, response] = wire.map((w) => w.message);
    if (command === undefined || response === undefined) throw new Error('no ECS17b exchange on the wire');

    const supplier = stack.pki.organisation('supplier-a');
    expect(decodeEcs17bCommand(command.apdu.content, command.contentOffset)).toEqual({
      requester: supplier.eui,
      esme: ESME.eui,
    });
    expect(response.apdu.counter).toBe(command.apdu.counter);
    const z = ecdhSharedSecret(supplier.ka.keys.privateKey, stack.pki.device(ESME.eui).ka.keys.publicKey);
    const decoded = decodeEcs17bResponse(response.apdu.content, response.contentOffset, z);
    expect(decoded).toMatchObject({
      device: ESME.eui,
      remoteParty: supplier.eui,
      counter: command.apdu.counter,
    });
    expect(decoded.registers).not.toBeNull();
    expect(openEcs17bRegisters(response.apdu.content, response.contentOffset, z).importRegisterWh).toBe(9600);

    // What the DCC relayed to the User (the trace of its response): the protected attributes, no reading.
    const relayed = stack.trace
      .since(from)
      .find((e) => e.kind === 'serviceResponse' && e.summary.startsWith('I0 for 4.1.1'))?.detail?.body;
    expect(relayed).toMatchObject({ status: 'success', encryptedFor: supplier.eui, esme: ESME.eui });
    expect(relayed).not.toHaveProperty('importRegisterWh');
  });
});
