import { describe, expect, it } from 'vitest';
import { register } from '../../../../../simulator/domain/registration/registration.js';
import {
  CHF,
  esmeEui,
  NETWORK,
  NETWORK_2,
  newHarness,
  START,
  SUPPLIER_A,
  TRIAL_MODEL,
} from '../../../../support/dcc-fixture.js';

const ESME = esmeEui(1);

/** DUIS 12.2 (DevicePrenotification) names no network operator: DUIS.md §4.1. */
describe('12.2 records the network operator the registration data names for the device', () => {
  it('a DUIS-shaped body (no network operator) gets the one registered for the metering point', () => {
    const h = newHarness();
    register(h.state.registration, ESME, 'networkOperator', {
      party: NETWORK_2,
      from: START,
      cause: 'registration',
    });
    const sent = h.send(SUPPLIER_A, '12.2', { cv: 8, body: { deviceId: ESME, ...TRIAL_MODEL } });
    expect(sent.response.responseCode).toBe('I0');
    expect(h.state.smi.get(ESME)?.networkOperator).toBe(NETWORK_2);
  });

  it('the registration data wins over a network operator trialsim’s own body names', () => {
    const h = newHarness();
    register(h.state.registration, ESME, 'networkOperator', {
      party: NETWORK_2,
      from: START,
      cause: 'registration',
    });
    h.send(SUPPLIER_A, '12.2', { cv: 8, body: { deviceId: ESME, ...TRIAL_MODEL, networkOperator: NETWORK } });
    expect(h.state.smi.get(ESME)?.networkOperator).toBe(NETWORK_2);
  });

  it('a registration from a later date is not in force yet: the body’s network operator, or none', () => {
    const later = START + 86_400_000;
    const withBody = newHarness();
    register(withBody.state.registration, ESME, 'networkOperator', {
      party: NETWORK_2,
      from: later,
      cause: 'registration',
    });
    withBody.send(SUPPLIER_A, '12.2', {
      cv: 8,
      body: { deviceId: ESME, ...TRIAL_MODEL, networkOperator: NETWORK },
    });
    expect(withBody.state.smi.get(ESME)?.networkOperator).toBe(NETWORK);
    const without = newHarness();
    without.send(SUPPLIER_A, '12.2', { cv: 8, body: { deviceId: ESME, ...TRIAL_MODEL } });
    expect(without.state.smi.get(ESME)?.networkOperator).toBeUndefined();
  });
});

/** DUIS 12.2 names no comms hub either: the 8.11 the comms hub answers records it. */
describe('12.2 takes only DUIS DevicePrenotification fields; the comms hub comes from 8.11', () => {
  it('a body naming a comms hub is refused at the boundary, as DUIS has no such field', () => {
    const h = newHarness();
    const sent = h.send(SUPPLIER_A, '12.2', { cv: 8, body: { deviceId: ESME, ...TRIAL_MODEL, chfId: CHF } });
    expect(sent.response.responseCode).not.toBe('I0');
    expect(h.state.smi.get(ESME)).toBeUndefined();
  });

  it('the device has no comms hub until the comms hub answers the 8.11 that whitelists it', () => {
    const h = newHarness();
    h.send(SUPPLIER_A, '12.2', { cv: 8, body: { deviceId: ESME, ...TRIAL_MODEL } });
    expect(h.state.smi.get(ESME)?.chfId).toBeUndefined();
    const sent = h.send(SUPPLIER_A, '8.11', { target: CHF, body: { action: 'add', deviceId: ESME } });
    expect(h.state.smi.get(ESME)?.chfId).toBeUndefined();
    h.deviceAnswers(CHF, sent.counter);
    expect(h.state.smi.get(ESME)?.chfId).toBe(CHF);
  });
});
