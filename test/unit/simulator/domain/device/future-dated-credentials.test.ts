import { beforeAll, describe, expect, it } from 'vitest';
import type { DeviceDefect } from '../../../../../simulator/domain/device/device-defects.js';
import { type DeviceStep, stepDevice } from '../../../../../simulator/domain/device/device-machine.js';
import type { DeviceState } from '../../../../../simulator/domain/device/device-state.js';
import { cellFor } from '../../../../../simulator/domain/device/trust-anchors.js';
import { parseEui } from '../../../../../simulator/domain/eui.js';
import {
  decodeGbcsMessage,
  type GbcsMessage,
} from '../../../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import {
  decodeCs02bCommand,
  decodeFutureDatedCredentialsAlert,
} from '../../../../../simulator/domain/gbcs/payloads/asn1/cs02b.js';
import { GBCS_CANCELLATION_TIME } from '../../../../../simulator/domain/gbcs/payloads/asn1/der-values.js';
import { checkGbcsSignature } from '../../../../../simulator/domain/gbcs/protection/gbcs-signature.js';
import type { GbcsFrame } from '../../../../../simulator/domain/messages/gbcs-messages.js';
import { deriveKeyPair } from '../../../../../simulator/domain/smki/key-pair.js';
import {
  DEVICE_DS,
  env,
  newTestDevice,
  type Party,
  payloadFor,
  START,
  SUPPLIER,
  sentPayloads,
  signedFrame,
} from '../../../../support/device-fixture.js';
import {
  issuingCaCertificate,
  organisationCertificate,
  THROW_AWAY_ROOT,
} from '../../../../support/organisation-certificates.js';

/**
 * A future-dated CS02b on the GBCS wire (GBCS.md §7.8, simulator/PROTOCOL.md §5.2): the command
 * carries its execution date-time `18 0F …` last; the device answers `30 02 05 00`
 * device-signed, holds it, runs it when its clock reaches the time and sends 0x00CB (0x8F66 or
 * 0x8F67 with the execution outcome), device-signed, to the party that sent it. The cancellation
 * is the future-dated form at 99991231235959Z (the CS06 rule, GBCS.md §11).
 */
const AT = '2027-01-05T02:00:00Z';
const AT_MS = Date.parse(AT);
const CANCEL = GBCS_CANCELLATION_TIME.toISOString();
const GAINING: Party = {
  name: 'supplier-b',
  eui: parseEui('90-B3-D5-1F-30-03-00-00'),
  role: 'supplier',
  ds: deriveKeyPair('test/future-dated-credentials', 'supplier-b/ds'),
  ka: deriveKeyPair('test/future-dated-credentials', 'supplier-b/ka'),
};
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const ascii = (text: string) => hex(Buffer.from(text, 'latin1'));
let replacements: Record<string, unknown>[] = [];
let issuingCa: Uint8Array;
let counter = 700;

beforeAll(async () => {
  issuingCa = await issuingCaCertificate();
  replacements = [];
  for (const keyUsage of ['digitalSignature', 'keyAgreement'] as const) {
    const keys = keyUsage === 'digitalSignature' ? GAINING.ds : GAINING.ka;
    replacements.push({
      role: 'supplier',
      keyUsage,
      certificate: await organisationCertificate(GAINING, keyUsage, keys),
    });
  }
});

/** supplier-a hands its cells to supplier-b, at `executionDateTime` when given. */
function cs02b(executionDateTime?: string, n = ++counter): GbcsFrame {
  const body = {
    replacementMode: 'supplierBySupplier',
    replacements,
    certificationPath: [issuingCa],
    ...(executionDateTime === undefined ? {} : { executionDateTime }),
  };
  return signedFrame(payloadFor(SUPPLIER, '6.15.1', n, body), SUPPLIER);
}
function send(state: DeviceState, frame: GbcsFrame, now = START, defect?: DeviceDefect): DeviceStep {
  return stepDevice(state, { type: 'frame', frame, now }, defect === undefined ? env : { ...env, defect });
}
function sent(step: DeviceStep): GbcsMessage[] {
  return step.effects.flatMap((e) => (e.type === 'send' ? [decodeGbcsMessage(e.frame.apdu)] : []));
}
function timerOf(step: DeviceStep) {
  const timers = step.effects.flatMap((e) => (e.type === 'schedule' ? [e] : []));
  expect(timers).toHaveLength(1);
  return timers[0] as Extract<DeviceStep['effects'][number], { type: 'schedule' }>;
}
function fire(step: DeviceStep, state: DeviceState, now: number, defect?: DeviceDefect): DeviceStep {
  const { timer } = timerOf(step);
  return stepDevice(state, { type: 'timer', timer, now }, defect === undefined ? env : { ...env, defect });
}
/** The test device, with the throw-away SMKI's Root in its root cell: the certificates validate up to it. */
function newDevice(): DeviceState {
  const device = newTestDevice();
  const root = {
    role: 'root' as const,
    keyUsage: 'digitalSignature' as const,
    cellUsage: 'management' as const,
    eui: parseEui('00-00-00-00-00-00-00-00'),
    publicKey: THROW_AWAY_ROOT.publicKey,
  };
  return { ...device, trustAnchors: [...device.trustAnchors, root] };
}
const supplierDsCell = (state: DeviceState) => cellFor(state.trustAnchors, 'supplier', 'digitalSignature');

describe('future-dated CS02b: the command (GBCS.md §7.8)', () => {
  it('0x0102 carries the execution date-time as its last element, GeneralizedTime 18 0F "20270105020000Z"', () => {
    const { apdu, contentOffset } = decodeGbcsMessage(cs02b(AT).apdu);
    expect(apdu.otherInformation.messageCode).toBe(0x0102);
    expect(hex(apdu.content).endsWith(`180f${ascii('20270105020000Z')}`)).toBe(true);
    expect(decodeCs02bCommand(apdu.content, contentOffset)).toMatchObject({
      mode: 2,
      executionDateTime: new Date(AT),
      counter: apdu.counter,
    });
  });

  it('an immediate one has no execution date-time; the cancellation is the same form at 99991231235959Z', () => {
    const immediate = decodeGbcsMessage(cs02b().apdu).apdu;
    expect(hex(immediate.content)).not.toContain('180f');
    expect(decodeCs02bCommand(immediate.content).executionDateTime).toBeUndefined();
    const cancel = decodeGbcsMessage(cs02b(CANCEL).apdu).apdu;
    expect(hex(cancel.content).endsWith(`180f${ascii('99991231235959Z')}`)).toBe(true);
  });
});

describe('future-dated CS02b on the device', () => {
  it('is held: answered 30 02 05 00 device-signed, nothing replaced, a timer for its time', () => {
    const start = newDevice();
    const held = send(start, cs02b(AT));
    expect(sent(held)).toHaveLength(1);
    const response = sent(held)[0] as GbcsMessage;
    expect(response.apdu.cra).toBe('response');
    expect(hex(response.apdu.content)).toBe('30020500');
    expect(response.mac).toBeNull();
    expect(checkGbcsSignature(response.signedBytes, response.apdu, DEVICE_DS.publicKey)).toBe('valid');
    expect(held.state.trustAnchors).toEqual(start.trustAnchors);
    expect(timerOf(held).at).toBe(AT_MS);
    expect(held.state.heldCredentials?.at).toBe(AT_MS);
    expect(held.state.eventLog.map((e) => e.code)).toContain('futureDatedCommandStored');
  });

  it('runs at its time and sends 0x00CB 0x8F66, device-signed, to the Supplier that sent it, with the execution outcome', () => {
    const n = ++counter;
    const held = send(newDevice(), cs02b(AT, n));
    const early = stepDevice(
      held.state,
      { type: 'timer', timer: { type: 'futureDatedCredentials', seq: 999 }, now: AT_MS },
      env,
    );
    expect(early.outcome).toBe('staleTimer');
    const ran = fire(held, held.state, AT_MS);
    expect(supplierDsCell(ran.state)?.eui).toBe(GAINING.eui);
    expect(ran.state.heldCredentials).toBeUndefined();
    const alerts = sent(ran);
    // 0x8F70 (credentials updated, GNCA) as at once, then the future-dated outcome in 0x00CB.
    expect(alerts.map((m) => m.apdu.otherInformation.messageCode)).toEqual([0x1001, 0x00cb]);
    const alert = alerts[1] as GbcsMessage;
    expect(alert.apdu.cra).toBe('alert');
    expect(alert.apdu.recipient).toBe(SUPPLIER.eui);
    expect(alert.mac).toBeNull();
    expect(checkGbcsSignature(alert.signedBytes, alert.apdu, DEVICE_DS.publicKey)).toBe('valid');
    const content = hex(alert.apdu.content);
    // 30 ‖ len { 02 03 00 8F 66, 18 0F <execution time>, 30 82 … execution outcome }: two
    // replacements make it 195 bytes, so the shortest length form is 81 C3 (GBCS.md §1).
    expect(content.slice(0, 6)).toBe(`3081${(alert.apdu.content.length - 3).toString(16)}`);
    const inner = content.slice(6);
    expect(inner.slice(0, 10)).toBe('0203008f66');
    expect(inner.slice(10, 44)).toBe(`180f${ascii('20270105020000Z')}`);
    expect(inner.slice(44, 48)).toBe('3082');
    const decoded = decodeFutureDatedCredentialsAlert(alert.apdu.content, alert.contentOffset);
    expect(decoded).toMatchObject({
      alertCode: 0x8f66,
      executionDateTime: new Date(AT),
      outcome: { authorisingRemotePartySeqNumber: BigInt(n), mode: 2 },
    });
    expect(
      decoded.outcome.replacementOutcomes.map((o) => [o.status, hex(o.replacingSubjectUniqueId)]),
    ).toEqual([
      [0, GAINING.eui.replace(/-/g, '').toLowerCase()],
      [0, GAINING.eui.replace(/-/g, '').toLowerCase()],
    ]);
    expect(sentPayloads(ran)[1]).toMatchObject({
      messageCode: '0x8F66',
      useCase: '0x00CB',
      body: { status: 'success', replacementMode: 'supplierBySupplier', commandCounter: n },
    });
  });

  it('0x8F67 when it cannot be actioned at its time: a party replaced meanwhile has no authority left', () => {
    const held = send(newDevice(), cs02b(AT));
    const replacedNow = send(held.state, cs02b());
    expect(supplierDsCell(replacedNow.state)?.eui).toBe(GAINING.eui);
    const ran = fire(held, replacedNow.state, AT_MS);
    const outcome = sentPayloads(ran).at(-1);
    expect(outcome).toMatchObject({ messageCode: '0x8F67', useCase: '0x00CB', body: { status: 'failure' } });
    const results = (outcome?.body.results ?? []) as { status: number }[];
    expect(results.map((r) => r.status)).toEqual([127, 127]);
  });

  it('the cancellation removes it: answered 30 02 05 00, and its timer then does nothing', () => {
    const start = newDevice();
    const held = send(start, cs02b(AT));
    const cancelled = send(held.state, cs02b(CANCEL));
    expect(sent(cancelled).map((m) => hex(m.apdu.content))).toEqual(['30020500']);
    expect(cancelled.state.heldCredentials).toBeUndefined();
    expect(cancelled.state.eventLog.map((e) => e.code)).toContain('futureDatedCommandCancelled');
    const due = fire(held, cancelled.state, AT_MS);
    expect(due.outcome).toBe('staleTimer');
    expect(due.effects).toEqual([]);
    expect(due.state.trustAnchors).toEqual(start.trustAnchors);
  });

  it('a cancellation with nothing held is answered with every replacement 127, other', () => {
    const step = send(newDevice(), cs02b(CANCEL));
    expect(sentPayloads(step)[0]?.body).toMatchObject({
      status: 'failure',
      results: [{ status: 127 }, { status: 127 }],
    });
  });

  it('an execution date-time already reached runs at once, as an immediate CS02b', () => {
    const step = send(newDevice(), cs02b(AT), AT_MS + 1000);
    expect(supplierDsCell(step.state)?.eui).toBe(GAINING.eui);
    expect(sentPayloads(step)[0]?.body).toMatchObject({ status: 'success' });
  });

  it('falls due while the device is off: runs when power returns', () => {
    const held = send(newDevice(), cs02b(AT));
    const off = stepDevice(held.state, { type: 'power', on: false, now: AT_MS - 1000 }, env);
    expect(fire(held, off.state, AT_MS).outcome).toBe('staleTimer');
    const on = stepDevice(off.state, { type: 'power', on: true, now: AT_MS + 3_600_000 }, env);
    expect(supplierDsCell(on.state)?.eui).toBe(GAINING.eui);
    expect(sentPayloads(on).map((p) => p.messageCode)).toEqual(['0x8F70', '0x8F66']);
  });
});

describe('the defects the conformance suite must catch (device-defects.ts)', () => {
  it('future-dated-credentials-run-now: the replacement happens at once, answered as executed', () => {
    const step = send(newDevice(), cs02b(AT), START, 'future-dated-credentials-run-now');
    expect(supplierDsCell(step.state)?.eui).toBe(GAINING.eui);
    expect(sentPayloads(step)[0]?.body).toMatchObject({ status: 'success' });
  });

  it('credentials-cancellation-ignored: acknowledged, but the held command still runs', () => {
    const held = send(newDevice(), cs02b(AT));
    const cancelled = send(held.state, cs02b(CANCEL), START, 'credentials-cancellation-ignored');
    expect(sentPayloads(cancelled)[0]?.body).toMatchObject({ status: 'commandAccepted' });
    const ran = fire(held, cancelled.state, AT_MS);
    expect(supplierDsCell(ran.state)?.eui).toBe(GAINING.eui);
  });
});
