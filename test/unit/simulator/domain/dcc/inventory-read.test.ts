import { describe, expect, it } from 'vitest';
import { setCplStatus } from '../../../../../simulator/domain/dcc/trial-administration.js';
import {
  approve,
  BASE_CPL,
  CERTIFIED_MODEL,
  esmeEui,
  newHarness,
  putDevice,
  SUPPLIER_A,
  TRIAL_MODEL,
} from '../../../../support/dcc-fixture.js';

const ESME = esmeEui(1);

function read(h: ReturnType<typeof newHarness>) {
  const sent = h.send(SUPPLIER_A, '8.2', { cv: 8, body: { deviceId: ESME } });
  expect(sent.response.responseCode).toBe('I0');
  return sent.response.body;
}

describe('8.2 Read Inventory: CPLStatus and DeviceFirmwareVersionStatus (DCC.md §5)', () => {
  it('a certified device: both Active, with the SMI record', () => {
    const h = newHarness();
    putDevice(h.state, ESME, 'Commissioned', CERTIFIED_MODEL);
    expect(read(h)).toMatchObject({
      deviceId: ESME,
      status: 'Commissioned',
      model: 'ACME-E-100',
      firmwareVersion: '3.2.0',
      supplier: SUPPLIER_A,
      CPLStatus: 'Active',
      DeviceFirmwareVersionStatus: 'Active',
    });
  });

  it('a trial device reads like any other: the CPL format does not change (TRIALS.md step 4)', () => {
    const h = newHarness();
    approve(h);
    putDevice(h.state, ESME, 'Commissioned', TRIAL_MODEL, { trialId: 'T-0001' });
    const body = read(h);
    expect(body).toMatchObject({ CPLStatus: 'Active', DeviceFirmwareVersionStatus: 'Active' });
    expect(JSON.stringify(body)).not.toMatch(/TRIAL-SSC|trialId/);
  });

  it('after the trial: its firmware entry Expired, while the model (certified 1.0.0) is still Active', () => {
    const h = newHarness();
    const trial = approve(h, { durationMonths: 1 });
    putDevice(h.state, ESME, 'Commissioned', TRIAL_MODEL, { trialId: 'T-0001' });
    h.advanceTo(trial.end);
    expect(read(h)).toMatchObject({
      status: 'Suspended',
      CPLStatus: 'Active',
      DeviceFirmwareVersionStatus: 'Expired',
    });
  });

  it('a model with no Active entry at all: CPLStatus follows its best entry', () => {
    const h = newHarness();
    putDevice(h.state, ESME, 'Commissioned', CERTIFIED_MODEL);
    setCplStatus(h.state, (e) => e.model === CERTIFIED_MODEL.model, 'Cancelled', h.now);
    expect(read(h)).toMatchObject({ CPLStatus: 'Cancelled', DeviceFirmwareVersionStatus: 'Cancelled' });
  });

  it('a model not on the CPL reads Withdrawn', () => {
    const h = newHarness({ cpl: BASE_CPL.filter((e) => e.model !== CERTIFIED_MODEL.model) });
    putDevice(h.state, ESME, 'Pending', CERTIFIED_MODEL);
    expect(read(h)).toMatchObject({ CPLStatus: 'Withdrawn', DeviceFirmwareVersionStatus: 'Withdrawn' });
  });
});
