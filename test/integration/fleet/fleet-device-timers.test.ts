import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet } from '../../../harness/fleet/fleet.js';
import { FLEET_MODEL } from '../../../harness/fleet/fleet-devices.js';
import { buildRelease } from '../../../harness/scenario/firmware-fixtures.js';
import { addCplEntry } from '../../../simulator/domain/dcc/trial-administration.js';
import { firmwareImageHash } from '../../../simulator/domain/firmware/firmware-image.js';
import type { FinalOutcome } from '../../../simulator/parties/dcc-user-agent.js';

/**
 * Devices in fleet worker processes keep their own timers (DCC.md §10: a future-dated 11.3
 * activates at its execution time), on clocks that follow the main process's virtual clock, and
 * the DCC hears of the activation at that time, not whenever the clock next moves.
 */
const START = Date.parse('2027-01-04T15:00:00Z');
const AT_TWO = Date.parse('2027-01-05T02:00:00Z');

function code(outcome: FinalOutcome): string {
  return outcome.kind === 'response' ? outcome.response.responseCode : (outcome.alert.alertCode ?? 'alert');
}

describe('fleet workers run device timers on the fleet’s virtual clock', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await Fleet.start({ seed: 'fleet-device-timers', start: START, devices: 4, workers: 2 });
    // The new firmware is CPA-certified for the fleet's model, so the DCC keeps the device Active.
    addCplEntry(
      fleet.stack.dcc.core.state,
      {
        ...FLEET_MODEL,
        firmwareVersion: '3.3.0',
        cpaCertificateReference: 'CPA-2027-0300',
        status: 'Active',
        imageHash: undefined,
      },
      START,
    );
  }, 60_000);
  afterAll(async () => {
    await fleet?.stop();
  });

  it('a future-dated 11.3 activates at 02:00 in a worker; the DCC gets 0x8F66 at 02:00 and updates the SMI', async () => {
    const supplier = fleet.stack.user('supplier-a');
    const device = fleet.eui(3); // in the second worker
    const image = buildRelease(
      {
        manufacturer: FLEET_MODEL.manufacturer,
        imageType: 1,
        firmwareVersion: '3.3.0',
        hardwareVersions: [FLEET_MODEL.hardwareVersion],
        body: { size: 1024, boots: true },
        signedBy: 'manufacturer',
      },
      fleet.stack.pki,
    );
    const distributed = await supplier.request({
      srv: '11.1',
      body: { deviceIds: [device], image, firmwareVersion: '3.3.0' },
    }).final;
    expect(code(distributed)).toBe('I0');
    await fleet.settle();
    const activation = await supplier.request({
      srv: '11.3',
      target: device,
      body: { imageHash: firmwareImageHash(image), executionDateTime: new Date(AT_TWO).toISOString() },
    }).final;
    expect(activation.kind === 'response' ? activation.response.body?.status : undefined).toBe(
      'commandAccepted',
    );

    await fleet.advanceTo(AT_TWO - 60_000);
    expect(fleet.stack.dcc.core.state.smi.get(device)?.firmwareVersion).toBe('3.2.0');

    await fleet.advanceTo(AT_TWO + 3_600_000);
    const activated = supplier.alerts.find((a) => a.deviceId === device && a.alertCode === '0x8F66');
    expect(activated).toBeDefined();
    expect(fleet.stack.dcc.core.state.smi.get(device)?.firmwareVersion).toBe('3.3.0');
    // Heard at its own time: the worker's timer was a stop on the fleet's clock.
    const heard = fleet.stack.trace
      .all()
      .find((e) => e.from === device && JSON.stringify(e.detail ?? {}).includes('0x8F66'));
    expect(heard?.at).toBe(AT_TWO);
  }, 60_000);
});
