import { describe, expect, it } from 'vitest';
import { FLEET_CPL, fleetDeviceSpecs } from '../../../../harness/fleet/fleet-devices.js';
import {
  checkDescriptorBudget,
  DESCRIPTOR_HEADROOM,
  descriptorsNeeded,
  fittingDeviceConnection,
  OWN_CLIENTS_UP_TO,
  openFileLimit,
} from '../../../../harness/stack/descriptor-budget.js';
import { SimStack } from '../../../../harness/stack/sim-stack.js';
import { TrialsimError } from '../../../../simulator/errors.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            20000                1048576              files
Max locked memory         8388608              8388608              bytes
`;

describe('open-file limit: a stack that would pass it says so before it connects', () => {
  it('each own client costs two descriptors on the embedded broker (its socket and the broker’s), one on an external broker', () => {
    expect(descriptorsNeeded({ clients: 100, embeddedBroker: true })).toBe(200 + DESCRIPTOR_HEADROOM);
    expect(descriptorsNeeded({ clients: 100, embeddedBroker: false })).toBe(100 + DESCRIPTOR_HEADROOM);
  });

  it('over the limit: FD_LIMIT naming the limit, what the run needs and how to fix it', () => {
    const over = () =>
      checkDescriptorBudget({
        clients: 10_008,
        embeddedBroker: true,
        limit: 20_000,
        inUse: 30,
        ownClientDevices: 10_000,
      });
    expect(over).toThrow(TrialsimError);
    expect(over).toThrow(
      /needs about 20110 open files but the process may open 20000 \(open-file limit, `ulimit -n`\)/,
    );
    expect(over).toThrow(/10000 devices each with its own client/);
    expect(over).toThrow(/ulimit -n 20110/);
    try {
      over();
    } catch (err) {
      expect((err as TrialsimError).code).toBe('FD_LIMIT');
    }
  });

  it('within the limit, or with no limit known, nothing is thrown', () => {
    expect(() =>
      checkDescriptorBudget({
        clients: 100,
        embeddedBroker: true,
        limit: 1024,
        inUse: 20,
        ownClientDevices: 92,
      }),
    ).not.toThrow();
    expect(() =>
      checkDescriptorBudget({
        clients: 1e6,
        embeddedBroker: true,
        limit: undefined,
        inUse: 20,
        ownClientDevices: 1e6,
      }),
    ).not.toThrow();
  });

  it('the soft limit is read from /proc/self/limits; unlimited or unreadable means unknown', () => {
    expect(openFileLimit(() => LIMITS)).toBe(20_000);
    expect(openFileLimit(() => LIMITS.replace('20000    ', 'unlimited'))).toBeUndefined();
    expect(
      openFileLimit(() => {
        throw new Error('ENOENT');
      }),
    ).toBeUndefined();
  });

  it('SimStack.start refuses a fleet of own-client devices past this process’s limit before opening anything', async () => {
    const limit = openFileLimit();
    if (limit === undefined) return; // not Linux: the platform does not say, and the check is skipped
    const devices = fleetDeviceSpecs(0, Math.ceil(limit / 2) + 10, { preinstalled: true });
    await expect(
      SimStack.start({
        seed: 'fd-limit',
        start: Date.UTC(2026, 0, 5),
        devices,
        cpl: FLEET_CPL,
        issueDeviceCertificates: false,
      }),
    ).rejects.toThrow(new RegExp(`the process may open ${limit} \\(open-file limit`));
  });
});

describe("deviceConnection 'auto': own clients while they fit, one shared connection past the limit", () => {
  const base = { otherClients: 8, embeddedBroker: true, inUse: 30 };
  it('own while 2 descriptors a device fit, shared once they do not (10,000 ESMEs + hubs under 20,000)', () => {
    expect(fittingDeviceConnection({ ...base, ownClientDevices: 100, limit: 20_000 })).toBe('own');
    expect(fittingDeviceConnection({ ...base, ownClientDevices: 20_000, limit: 20_000 })).toBe('shared');
    // The boundary: 2 × (8 + n) + headroom + in use ≤ limit.
    const n = (1_000 - DESCRIPTOR_HEADROOM - 30) / 2 - 8;
    expect(fittingDeviceConnection({ ...base, ownClientDevices: n, limit: 1_000 })).toBe('own');
    expect(fittingDeviceConnection({ ...base, ownClientDevices: n + 1, limit: 1_000 })).toBe('shared');
  });
  it(`past ${OWN_CLIENTS_UP_TO} devices shared on the embedded broker even where own clients fit (a client each outweighs a device)`, () => {
    const roomy = { ...base, limit: 1_048_576 };
    expect(fittingDeviceConnection({ ...roomy, ownClientDevices: OWN_CLIENTS_UP_TO })).toBe('own');
    expect(fittingDeviceConnection({ ...roomy, ownClientDevices: OWN_CLIENTS_UP_TO + 1 })).toBe('shared');
    expect(fittingDeviceConnection({ ...roomy, ownClientDevices: 20_002, limit: undefined })).toBe('shared');
    expect(fittingDeviceConnection({ ...roomy, embeddedBroker: false, ownClientDevices: 20_002 })).toBe(
      'own',
    );
  });
  it("an external broker keeps 'own' (the budget check then names the limit); so does a limit even sharing passes", () => {
    expect(
      fittingDeviceConnection({ ...base, embeddedBroker: false, ownClientDevices: 30_000, limit: 20_000 }),
    ).toBe('own');
    expect(fittingDeviceConnection({ ...base, ownClientDevices: 1_000, limit: 50 })).toBe('own');
  });
  it('no known limit: own up to the device count', () => {
    expect(fittingDeviceConnection({ ...base, ownClientDevices: OWN_CLIENTS_UP_TO, limit: undefined })).toBe(
      'own',
    );
  });
});
