import { describe, expect, it } from 'vitest';
import type { CplEntry } from '../../../../../simulator/domain/cpl/cpl-entry.js';
import {
  assembleImage,
  encodeUnsignedImage,
  firmwareImageHash,
} from '../../../../../simulator/domain/firmware/firmware-image.js';
import { overridePolicy } from '../../../../../simulator/domain/policy/policy-settings.js';
import {
  BASE_CPL,
  CERTIFIED_MODEL,
  esmeEui,
  newHarness,
  putDevice,
  SUPPLIER_A,
} from '../../../../support/dcc-fixture.js';

/**
 * Firmware screened against the CPL (DCC.md §5, §10; simulator/domain/dcc/firmware-screening.ts):
 * firmware needs its own CPL entry for the device's model and hardware version, or the device is
 * Suspended the moment it runs it. 11.1 refuses such firmware with E110101 (or, policy
 * `firmware.screening.11.1` = warn, distributes it and answers W110101 naming the devices); 11.3
 * refuses to activate it with E12 FIRMWARE-NOT-ON-CPL (or passes it on with a warning).
 */
const CERTIFIED = esmeEui(1);
/** Same model, another hardware version: the CPL lists no firmware for it beyond what it runs. */
const OTHER_HW = esmeEui(2);
const OTHER_HW_MODEL = { ...CERTIFIED_MODEL, hardwareVersion: '3.1' };

/** 3.4.0 is listed for hw 3.0 only; 3.9.0 for nothing. */
const CPL: CplEntry[] = [
  ...BASE_CPL,
  { ...OTHER_HW_MODEL, cpaCertificateReference: 'CPA-2023-0042', status: 'Active', imageHash: undefined },
  {
    ...CERTIFIED_MODEL,
    firmwareVersion: '3.4.0',
    cpaCertificateReference: 'CPA-2023-0042',
    status: 'Active',
    imageHash: undefined,
  },
];

function image(firmwareVersion: string): Uint8Array {
  const unsigned = encodeUnsignedImage(
    {
      manufacturer: CERTIFIED_MODEL.manufacturer,
      imageType: 1,
      firmwareVersion,
      hardwareVersions: ['3.0', '3.1'],
    },
    new Uint8Array(64).fill(0x5a),
  );
  // The DCC reads the header only; the device checks the manufacturer's signature.
  return assembleImage(unsigned, new Uint8Array(64).fill(3));
}

function world(policy: Record<string, unknown> = {}) {
  const h = newHarness({ cpl: CPL });
  h.state.policy = overridePolicy(policy);
  putDevice(h.state, CERTIFIED, 'Commissioned', CERTIFIED_MODEL);
  putDevice(h.state, OTHER_HW, 'Commissioned', OTHER_HW_MODEL);
  return h;
}

function distribute(h: ReturnType<typeof world>, version: string, devices = [CERTIFIED, OTHER_HW]) {
  return h.send(SUPPLIER_A, '11.1', {
    body: { image: image(version), firmwareVersion: version, deviceIds: devices },
  });
}

function activate(h: ReturnType<typeof world>, device: typeof CERTIFIED, version: string) {
  return h.sendCritical(SUPPLIER_A, '11.3', device, { imageHash: firmwareImageHash(image(version)) });
}

describe('11.1 screens firmware against the CPL for each device’s model and hardware version', () => {
  it('FIRMWARE-NOT-ON-CPL 11.1 - firmware with no CPL entry for a listed device’s model and hardware version is refused with E110101 and nothing is distributed', () => {
    const h = world();
    const sent = distribute(h, '3.4.0');
    expect(sent.response.responseCode).toBe('E110101');
    expect(sent.response.rule).toBe('FIRMWARE-NOT-ON-CPL');
    expect(sent.response.reason).toMatch(/3\.4\.0 has no CPL entry for ACME-E-100 hw 3\.1/);
    expect(sent.effects.some((e) => e.type === 'toDevice')).toBe(false);
    expect(h.state.outcomes.at(-1)).toMatchObject({ srv: '11.1', outcome: 'E110101' });
  });

  it('FIRMWARE-NOT-ON-CPL 11.1 - firmware listed for every device’s model and hardware version is distributed (I0)', () => {
    const h = world();
    const sent = distribute(h, '3.4.0', [CERTIFIED]);
    expect(sent.response.responseCode).toBe('I0');
    expect(sent.effects.filter((e) => e.type === 'toDevice')).toHaveLength(1);
  });

  it('FIRMWARE-NOT-ON-CPL 11.1 warn - with firmware.screening.11.1 = warn the image is distributed and W110101 names the unlisted devices', () => {
    const h = world({ 'firmware.screening.11.1': 'warn' });
    const sent = distribute(h, '3.4.0');
    expect(sent.response.responseCode).toBe('W110101');
    expect(sent.response.rule).toBe('FIRMWARE-NOT-ON-CPL');
    const body = sent.response.body as { warnings: { firmwareNotOnCpl: string[] }; distributedTo: string[] };
    expect(body.warnings.firmwareNotOnCpl).toEqual([OTHER_HW]);
    expect(body.distributedTo).toEqual([CERTIFIED, OTHER_HW]);
    expect(h.state.outcomes.at(-1)).toMatchObject({ srv: '11.1', outcome: 'W110101' });
  });
});

describe('11.1 lists IDs it cannot screen as invalid rather than refusing the request', () => {
  // trialsim's envelope can carry an ID that is no EUI (DUIS's DeviceIDList pattern cannot, so
  // ota-hardware-mismatch names only well-formed ones and this rule is checked here).
  it('a malformed ID and an EUI the SMI does not hold are invalidDeviceIds; the listed device still gets the image', () => {
    const h = world();
    const unknown = esmeEui(99);
    const sent = distribute(h, '3.4.0', [CERTIFIED, unknown, 'not-an-eui' as typeof CERTIFIED]);
    expect(sent.response.responseCode).toBe('I0');
    const body = sent.response.body as { warnings: { invalidDeviceIds: string[] }; distributedTo: string[] };
    expect(body.warnings.invalidDeviceIds).toEqual([unknown, 'not-an-eui']);
    expect(body.distributedTo).toEqual([CERTIFIED]);
  });
});

describe('11.3 screens the image it would activate against the CPL', () => {
  it('FIRMWARE-NOT-ON-CPL 11.3 - activating an image whose version has no CPL entry for the device’s model and hardware version is refused (E12) and the device stays Commissioned', () => {
    const h = world({ 'firmware.screening.11.1': 'warn' });
    distribute(h, '3.4.0');
    const refused = activate(h, OTHER_HW, '3.4.0');
    expect(refused.response.responseCode).toBe('E12');
    expect(refused.response.rule).toBe('FIRMWARE-NOT-ON-CPL');
    expect(refused.response.reason).toMatch(
      /firmware 3\.4\.0, which has no CPL entry for ACME-E-100 hw 3\.1/,
    );
    expect(h.state.smi.get(OTHER_HW)?.status).toBe('Commissioned');
    // The same image on the hardware version it is listed for goes to the device.
    expect(activate(h, CERTIFIED, '3.4.0').response.responseCode).toBe('I99');
  });

  it('FIRMWARE-NOT-ON-CPL 11.3 warn - with firmware.screening.11.3 = warn the command goes on and its Pre-Command answer says why', () => {
    const h = world({ 'firmware.screening.11.1': 'warn', 'firmware.screening.11.3': 'warn' });
    distribute(h, '3.4.0');
    const cv4 = h.send(SUPPLIER_A, '11.3', {
      target: OTHER_HW,
      cv: 4,
      body: { imageHash: firmwareImageHash(image('3.4.0')) },
    });
    expect(cv4.response.responseCode).toBe('I0');
    expect(cv4.response.rule).toBe('FIRMWARE-NOT-ON-CPL');
    expect(cv4.response.reason).toMatch(/^warning: .*would be Suspended/);
    expect(h.cv5(SUPPLIER_A, cv4).response.responseCode).toBe('I99');
  });
});
