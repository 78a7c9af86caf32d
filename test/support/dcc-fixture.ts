import { cborContentCodec } from '../../simulator/adapters/wire/envelope.js';
import type { CplEntry } from '../../simulator/domain/cpl/cpl-entry.js';
import { DccCore } from '../../simulator/domain/dcc/dcc-core.js';
import type { DccEffect, DccTimer } from '../../simulator/domain/dcc/dcc-effects.js';
import { type DccState, newDccState } from '../../simulator/domain/dcc/dcc-state.js';
import { addCplEntry, approveTrial } from '../../simulator/domain/dcc/trial-administration.js';
import type { DeviceType } from '../../simulator/domain/device/device-types.js';
import { formatRequestId } from '../../simulator/domain/duis/request-id.js';
import type { UserRole } from '../../simulator/domain/duis/user-roles.js';
import { type Eui, parseEui } from '../../simulator/domain/eui.js';
import { dlmsDateTimeFromDate } from '../../simulator/domain/gbcs/apdu/dlms-date-time.js';
import { decodeGbcsMessage, type GbcsMessage } from '../../simulator/domain/gbcs/apdu/gbcs-message.js';
import { messageCodeOnly } from '../../simulator/domain/gbcs/apdu/other-information.js';
import { alertFrom, responseTo } from '../../simulator/domain/gbcs/apdu/response-header.js';
import { ecdhSharedSecret } from '../../simulator/domain/gbcs/protection/ecdh-shared-secret.js';
import {
  encodeDeviceSigned,
  encodeMacProtected,
} from '../../simulator/domain/gbcs/protection/gbcs-protect.js';
import { alertRoute } from '../../simulator/domain/gbcs/use-cases/alert-routing.js';
import type { ServiceRequest, ServiceResponse } from '../../simulator/domain/messages/duis-messages.js';
import { writeResponseContent } from '../../simulator/domain/services/content/wire-content.js';
import type { SmiRecord } from '../../simulator/domain/smi/smi-record.js';
import type { SmiStatus } from '../../simulator/domain/smi/smi-status.js';
import { deriveKeyPair } from '../../simulator/domain/smki/key-pair.js';
import { DEFAULT_TRIAL_POLICY, type TrialPolicy } from '../../simulator/domain/trial/trial.js';

/**
 * A DCC core with no broker, for table-driven tests of its rules: users, a CPL with a trial entry,
 * devices put straight into the SMI in any status, and helpers that send an SR or a device
 * answer and return what the DCC said. Timers are collected, not run: `fire` runs them.
 */
export const START = Date.parse('2027-01-04T09:00:00Z');
export const DCC = parseEui('00-DB-12-34-56-78-90-A0');
export const SUPPLIER_A = parseEui('90-B3-D5-1F-30-01-00-00');
export const SUPPLIER_B = parseEui('90-B3-D5-1F-30-03-00-00');
export const NETWORK = parseEui('90-B3-D5-1F-30-02-00-00');
export const NETWORK_2 = parseEui('90-B3-D5-1F-30-06-00-00');
export const OTHER_USER = parseEui('90-B3-D5-1F-30-05-00-00');
export const SUSPENDED_USER = parseEui('90-B3-D5-1F-30-07-00-00');
export const STRANGER = parseEui('90-B3-D5-1F-30-0F-00-00');
export const CHF = parseEui('00-12-4B-00-00-00-00-01');

export const TRIAL_MODEL = {
  deviceType: 'ESME' as DeviceType,
  manufacturer: 'Acme Meters Ltd',
  model: 'ACME-E-TRIAL',
  hardwareVersion: '1.0',
  firmwareVersion: '0.9.0',
};
export const CERTIFIED_MODEL = {
  ...TRIAL_MODEL,
  model: 'ACME-E-100',
  hardwareVersion: '3.0',
  firmwareVersion: '3.2.0',
};
export const CHF_MODEL = {
  deviceType: 'CHF' as DeviceType,
  manufacturer: 'Acme Meters Ltd',
  model: 'ACME-CH-2',
  hardwareVersion: '2.0',
  firmwareVersion: '4.1.0',
};

export const BASE_CPL: readonly CplEntry[] = [
  { ...CHF_MODEL, cpaCertificateReference: 'CPA-2024-0117', status: 'Active', imageHash: undefined },
  { ...CERTIFIED_MODEL, cpaCertificateReference: 'CPA-2023-0042', status: 'Active', imageHash: undefined },
  { ...TRIAL_MODEL, cpaCertificateReference: 'TRIAL-SSC-0001', status: 'Active', imageHash: undefined },
  // The trial hardware variant passed CPA with firmware 1.0.0 (TRIALS.md: upgrade OTA).
  {
    ...TRIAL_MODEL,
    firmwareVersion: '1.0.0',
    cpaCertificateReference: 'CPA-2027-0001',
    status: 'Active',
    imageHash: undefined,
  },
  // The certified meter's next firmware, listed with its image hash: the image an 11.3 in these
  // tests names (ACTIVATION_HASH), so the DCC's CPL screening of 11.3 lets it through.
  {
    ...CERTIFIED_MODEL,
    firmwareVersion: '3.3.0',
    cpaCertificateReference: 'CPA-2023-0042',
    status: 'Active',
    imageHash: '01'.repeat(32),
  },
];

/** The manufacturer image hash of the listed firmware 3.3.0 of the certified meter. */
export const ACTIVATION_HASH = new Uint8Array(32).fill(1);

export function esmeEui(n: number): Eui {
  return parseEui(`00-12-4B-00-00-00-01-${n.toString(16).padStart(2, '0').toUpperCase()}`);
}

export interface Sent {
  readonly effects: DccEffect[];
  /** The response the sender got first (I0, I99 or a refusal). */
  readonly response: ServiceResponse;
  readonly requestId: string;
  readonly counter: number;
}

export class DccHarness {
  readonly core: DccCore;
  readonly timers: { at: number; timer: DccTimer }[] = [];
  private readonly counters = new Map<Eui, number>();
  now = START;

  constructor(readonly state: DccState) {
    this.core = new DccCore(state, { codec: cborContentCodec });
  }

  /** Sends an SR. Critical SRs go CV 4 and, if that passes, CV 5 (signature not checked by the DCC). */
  send(
    from: Eui,
    srv: string,
    options: { target?: Eui; body?: Record<string, unknown>; cv?: number; counter?: number } = {},
  ): Sent {
    const counter = options.counter ?? (this.counters.get(from) ?? 0) + 1;
    this.counters.set(from, Math.max(counter, this.counters.get(from) ?? 0));
    const requestId = formatRequestId({ originator: from, target: options.target ?? DCC, counter });
    const request: ServiceRequest = {
      requestId,
      commandVariant: options.cv ?? 1,
      serviceReference: srv.split('.').slice(0, 2).join('.'),
      serviceReferenceVariant: srv,
      body: options.body ?? {},
    };
    const effects = this.core.handleServiceRequest(from, request, this.now);
    this.collect(effects);
    return { effects, response: firstResponse(effects), requestId, counter };
  }

  /** CV 4 then CV 5 of a critical SR; the CV 5's effects (I99 and the command) or the refusal. */
  sendCritical(from: Eui, srv: string, target: Eui, body: Record<string, unknown> = {}): Sent {
    const cv4 = this.send(from, srv, { target, body, cv: 4 });
    if (cv4.response.preCommand === undefined) return cv4;
    return this.cv5(from, cv4);
  }

  cv5(from: Eui, cv4: Sent): Sent {
    const request: ServiceRequest = {
      requestId: cv4.requestId,
      commandVariant: 5,
      serviceReference: cv4.response.serviceReferenceVariant.split('.').slice(0, 2).join('.'),
      serviceReferenceVariant: cv4.response.serviceReferenceVariant,
      body: {},
      preCommand: cv4.response.preCommand,
      signature: new Uint8Array(64).fill(7),
    };
    const effects = this.core.handleServiceRequest(from, request, this.now);
    this.collect(effects);
    return { effects, response: firstResponse(effects), requestId: cv4.requestId, counter: cv4.counter };
  }

  /**
   * The device answers the command with this (User) counter, as a device would: the command's
   * header echoed (GBCS responseTo), device-signed when the command was signed, otherwise MACed
   * for the command's originator (the ACB in the ACB form; a User's key here is the fixture's own).
   */
  deviceAnswers(
    device: Eui,
    counter: number,
    body: Record<string, unknown> = { status: 'success' },
  ): DccEffect[] {
    const command = [...this.commands]
      .reverse()
      .find((m) => m.apdu.recipient === device && userCounterOf(m) === counter);
    if (command === undefined) throw new Error(`no command with counter ${counter} was sent to ${device}`);
    // The use case's GBCS payload (or trialsim-profile CBOR) as the device writes it.
    // The parties and Z a device has (ECS17b encrypts for the User with them, GBCS.md §4.3).
    const content = writeResponseContent(
      command.apdu.otherInformation.messageCode,
      body,
      {
        counter: command.apdu.counter,
        now: this.now,
        originator: device,
        recipient: command.apdu.originator,
        sharedSecretWith: (party) =>
          ecdhSharedSecret(
            deviceKeys(device).ka.privateKey,
            deriveKeyPair('dcc-test', `${party}-ka`).publicKey,
          ),
      },
      cborContentCodec,
    );
    const response = responseTo(command.apdu, content);
    const apdu =
      command.apdu.signature.kind === 'signed'
        ? encodeDeviceSigned(response, deviceKeys(device).ds.privateKey)
        : encodeMacProtected(response, {
            ownKaPrivateKey: deviceKeys(device).ka.privateKey,
            peerKaPublicKey:
              command.apdu.originator === ACB_EUI
                ? ACB_KA.publicKey
                : deriveKeyPair('dcc-test', `${command.apdu.originator}-ka`).publicKey,
          });
    this.fromDevices.push(apdu);
    const effects = this.core.handleDeviceFrame(device, { apdu }, this.now);
    this.collect(effects);
    return effects;
  }

  /** Every APDU a device sent the DCC (deviceAnswers, deviceAlerts), byte for byte, in order. */
  readonly fromDevices: Uint8Array[] = [];

  private alertCounter = 0;

  /**
   * The device raises an alert to its registered supplier, in the wrapper the alert table gives,
   * MACed for the supplier (the DCC relays it without checking that MAC; device-alerts.ts).
   */
  deviceAlerts(device: Eui, alertCode: string, body: Record<string, unknown> = {}): DccEffect[] {
    const supplier = this.state.smi.get(device)?.supplier ?? SUPPLIER_A;
    const route = alertRoute(Number.parseInt(alertCode, 16));
    const apdu = alertFrom(
      device,
      supplier,
      BigInt(++this.alertCounter),
      messageCodeOnly(route.messageCode),
      cborContentCodec.encodeBody({ alertCode, ...body }),
      dlmsDateTimeFromDate(new Date(this.now)),
    );
    const frame = encodeMacProtected(apdu, {
      ownKaPrivateKey: deviceKeys(device).ka.privateKey,
      peerKaPublicKey: deriveKeyPair('dcc-test', `${supplier}-ka`).publicKey,
    });
    this.fromDevices.push(frame);
    const effects = this.core.handleDeviceFrame(device, { apdu: frame }, this.now);
    this.collect(effects);
    return effects;
  }

  /** Moves time on, running every timer due on the way, in order. */
  advanceTo(target: number): DccEffect[] {
    const all: DccEffect[] = [];
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (next === undefined || next.at > target) break;
      this.timers.shift();
      this.now = Math.max(this.now, next.at);
      const effects = this.core.handleTimer(next.timer, this.now);
      this.collect(effects);
      all.push(...effects);
    }
    this.now = Math.max(this.now, target);
    return all;
  }

  /** Every command the DCC sent a device, decoded. */
  readonly commands: GbcsMessage[] = [];

  private collect(effects: readonly DccEffect[]): void {
    for (const e of effects) {
      if (e.type === 'schedule') this.timers.push({ at: e.at, timer: e.timer });
      if (e.type === 'toDevice') this.commands.push(decodeGbcsMessage(e.frame.apdu));
    }
  }

  /** Commissions a device already InstalledNotCommissioned, as `user`, answering success. */
  commission(device: Eui, user: Eui = SUPPLIER_A): Sent {
    const sent = this.sendCritical(user, '8.1.1', device);
    if (sent.response.responseCode === 'I99') this.deviceAnswers(device, sent.counter);
    return sent;
  }
}

const ACB_EUI = parseEui('90-B3-D5-1F-30-00-00-02');
const ACB_KA = deriveKeyPair('dcc-test', 'acb-ka');

function deviceKeys(device: Eui) {
  return { ka: deriveKeyPair('dcc-test', `${device}-ka`), ds: deriveKeyPair('dcc-test', `${device}-ds`) };
}

/** The User's counter a command carries: the header's, or the supplementary remote party's (ACB form). */
function userCounterOf(message: GbcsMessage): number {
  const info = message.apdu.otherInformation;
  return Number(info.form === 'remote-party' ? info.remotePartyCounter : message.apdu.counter);
}

export function firstResponse(effects: readonly DccEffect[]): ServiceResponse {
  const found = effects.find((e) => e.type === 'serviceResponse');
  if (found === undefined || found.type !== 'serviceResponse') throw new Error('the DCC sent no response');
  return found.message;
}

export function users(): [Eui, string, UserRole, 'active' | 'suspended'][] {
  return [
    [SUPPLIER_A, 'supplier-a', 'IS', 'active'],
    [SUPPLIER_B, 'supplier-b', 'IS', 'active'],
    [NETWORK, 'network-operator', 'ED', 'active'],
    [NETWORK_2, 'network-operator-2', 'ED', 'active'],
    [OTHER_USER, 'other-user', 'OU', 'active'],
    [SUSPENDED_USER, 'suspended-supplier', 'GS', 'suspended'],
  ];
}

/** A DCC with the base CPL, every test user, and SMKI entries for a comms hub and 16 ESMEs. */
export function newHarness(options: { cpl?: readonly CplEntry[] } = {}): DccHarness {
  const acb = deriveKeyPair('dcc-test', 'acb-ka');
  const state = newDccState({
    dccEui: DCC,
    acbEui: parseEui('90-B3-D5-1F-30-00-00-02'),
    acbKaPrivate: acb.privateKey,
    responseTimeoutMs: 60_000,
  });
  for (const [eui, name, role, status] of users()) {
    state.users.set(eui, { eui, name, role, status, lastCounter: 0 });
  }
  for (const device of [CHF, ...Array.from({ length: 16 }, (_, i) => esmeEui(i + 1))]) {
    state.smki.set(device, {
      kaPublic: deviceKeys(device).ka.publicKey,
      dsPublic: deviceKeys(device).ds.publicKey,
    });
  }
  for (const entry of options.cpl ?? BASE_CPL) addCplEntry(state, { ...entry }, START);
  putDevice(state, CHF, 'Commissioned', CHF_MODEL);
  return new DccHarness(state);
}

/** Puts a device straight into the SMI (supplier A, network operator NETWORK). */
export function putDevice(
  state: DccState,
  deviceId: Eui,
  status: SmiStatus,
  model: typeof TRIAL_MODEL = TRIAL_MODEL,
  extra: Partial<SmiRecord> = {},
): SmiRecord {
  const record: SmiRecord = {
    deviceId,
    ...model,
    status,
    chfId: CHF,
    supplier: SUPPLIER_A,
    networkOperator: NETWORK,
    trialId: undefined,
    history: [{ at: START, from: null, to: status, cause: 'test set-up' }],
    ...extra,
  };
  state.smi.set(deviceId, record);
  return record;
}

export function approve(
  harness: DccHarness,
  policy: Partial<TrialPolicy> = {},
  options: { start?: number; sponsor?: Eui; trialId?: string; reference?: string } = {},
) {
  const result = approveTrial(harness.state, {
    trialId: options.trialId ?? 'T-0001',
    cpaCertificateReference: options.reference ?? 'TRIAL-SSC-0001',
    manufacturer: 'Acme Meters Ltd',
    deviceType: 'ESME',
    sponsor: options.sponsor ?? SUPPLIER_A,
    start: options.start ?? START,
    policy: { ...DEFAULT_TRIAL_POLICY, ...policy },
  });
  if (!result.ok) throw new Error(`trial refused: ${result.reason}`);
  for (const e of result.effects)
    if (e.type === 'schedule') harness.timers.push({ at: e.at, timer: e.timer });
  return result.trial;
}
