import { beforeAll, describe, expect, it } from 'vitest';
import { resignedCertificate } from '../../../../../harness/dut/crafted/resigned-certificate.js';
import { cborContentCodec } from '../../../../../simulator/adapters/wire/envelope.js';
import {
  type CredentialReplacement,
  REPLACEMENT_MODE_RULES,
  REPLACEMENT_MODES,
  type ReplacementMode,
  replaceCredentials,
} from '../../../../../simulator/domain/device/credential-replacement.js';
import { stepDevice } from '../../../../../simulator/domain/device/device-machine.js';
import { type DeviceState, newDeviceState } from '../../../../../simulator/domain/device/device-state.js';
import { cellFor } from '../../../../../simulator/domain/device/trust-anchors.js';
import { type Eui, euiToBytes, parseEui } from '../../../../../simulator/domain/eui.js';
import { encodeSignedAndMacProtected } from '../../../../../simulator/domain/gbcs/protection/gbcs-protect.js';
import type { GbcsPayload } from '../../../../../simulator/domain/messages/gbcs-messages.js';
import { deriveKeyPair, type KeyPair } from '../../../../../simulator/domain/smki/key-pair.js';
import type { RemotePartyRole } from '../../../../../simulator/domain/smki/remote-party-roles.js';
import { commandApdu, managementCells, sentPayloads } from '../../../../support/device-fixture.js';
import {
  issuingCaCertificate,
  issuingCaCertificateUnder,
  organisationCertificate,
  rootCertificate,
  THROW_AWAY_ISSUING_CA,
  THROW_AWAY_ROOT,
} from '../../../../support/organisation-certificates.js';

/** CS02b on the pure device (DCC.md §7 modes and statuses, §8 floor). */
const NOW = Date.parse('2027-01-04T09:00:00Z');
const DEVICE = parseEui('00-12-4B-00-00-00-01-01');
const DEVICE_KA = deriveKeyPair('cs02b', 'device/ka');

interface Party {
  readonly eui: Eui;
  readonly role: RemotePartyRole;
  readonly ds: KeyPair;
  readonly ka: KeyPair;
}

function party(name: string, eui: string, role: RemotePartyRole): Party {
  return {
    eui: parseEui(eui),
    role,
    ds: deriveKeyPair('cs02b', `${name}/ds`),
    ka: deriveKeyPair('cs02b', `${name}/ka`),
  };
}

const P = {
  // The throw-away SMKI's Root: every certificate below validates up to it.
  root: { ...party('root', '00-00-00-00-00-00-00-00', 'root'), ds: THROW_AWAY_ROOT },
  recovery: party('recovery', '90-B3-D5-1F-30-00-00-01', 'recovery'),
  supplierA: party('supplier-a', '90-B3-D5-1F-30-01-00-00', 'supplier'),
  supplierB: party('supplier-b', '90-B3-D5-1F-30-03-00-00', 'supplier'),
  no: party('network-operator', '90-B3-D5-1F-30-02-00-00', 'networkOperator'),
  acb: party('acb', '90-B3-D5-1F-30-00-00-02', 'accessControlBroker'),
  cos: party('cos-party', '90-B3-D5-1F-30-00-00-05', 'transitionalCoS'),
  wan: party('wan-provider', '90-B3-D5-1F-30-00-00-06', 'wanProvider'),
};
const FACTORY: readonly Party[] = [P.root, P.recovery, P.supplierA, P.no, P.acb, P.cos, P.wan];

function device(parties: readonly Party[] = FACTORY): DeviceState {
  return newDeviceState({
    identity: {
      eui: DEVICE,
      deviceType: 'ESME',
      manufacturer: 'Acme Meters Ltd',
      model: 'ACME-E-TRIAL',
      hardwareVersion: '1.0',
    },
    keys: { kaPrivate: DEVICE_KA.privateKey, dsPrivate: deriveKeyPair('cs02b', 'device/ds').privateKey },
    firmwareVersion: '0.9.0',
    trustAnchors: parties.flatMap(managementCells),
    now: NOW,
  });
}

/** Each party's DS and KA certificates, issued once (CS02b carries them whole, GBCS.md §7.8). */
const certificates = new Map<string, Uint8Array>();
let issuingCa: Uint8Array;
const certificateKey = (who: Party, keyUsage: string) => `${who.eui}/${hex(who.ds.publicKey)}/${keyUsage}`;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
/** A party for every mode's target with keys of its own: the modes test installs it. */
const freshFor = (mode: ReplacementMode): Party => {
  const target = FACTORY.find((p) => p.role === REPLACEMENT_MODE_RULES[mode].replaces[0]) as Party;
  return party(`new-${mode}`, target.eui, target.role);
};

beforeAll(async () => {
  issuingCa = await issuingCaCertificate();
  for (const who of [...FACTORY, P.supplierB, ...REPLACEMENT_MODES.map(freshFor)])
    for (const keyUsage of ['digitalSignature', 'keyAgreement'] as const) {
      const keys = keyUsage === 'digitalSignature' ? who.ds : who.ka;
      // A Root's certificate is its own, self-signed (root-certificate-checks.ts), and DS only.
      const certificate =
        who.role === 'root'
          ? await rootCertificate(keys)
          : await organisationCertificate(who, keyUsage, keys);
      certificates.set(certificateKey(who, keyUsage), certificate);
    }
});

/** The target's DS and KA certificates; a Root's DS one alone (the Root has no KA certificate). */
function replacementsFor(
  target: Party,
  options: Partial<CredentialReplacement> = {},
): CredentialReplacement[] {
  const usages =
    target.role === 'root'
      ? (['digitalSignature'] as const)
      : (['digitalSignature', 'keyAgreement'] as const);
  return usages.map((keyUsage) => ({
    role: target.role,
    keyUsage,
    certificate: certificates.get(certificateKey(target, keyUsage)) as Uint8Array,
    ...options,
  }));
}

function command(
  by: Party,
  mode: ReplacementMode,
  replacements: readonly CredentialReplacement[],
  counter = 1,
  messageCode = '6.15.1',
): GbcsPayload {
  return {
    cra: 1,
    originator: euiToBytes(by.eui),
    recipient: euiToBytes(DEVICE),
    counter,
    dateTime: Math.floor(NOW / 1000),
    messageCode,
    body: { replacementMode: mode, replacements, certificationPath: [issuingCa] },
  };
}

function statuses(result: { body: Record<string, unknown> | undefined }): number[] {
  const results = (result.body?.results ?? []) as { status: number }[];
  return results.map((r) => r.status);
}

describe('CS02b replacement modes (DCC.md §7)', () => {
  it('7 supplierByTransCoS - the CoS party replaces both Supplier cells and sets the floor', () => {
    const start = { ...device(), lastCounters: { [P.supplierA.eui]: 41 } };
    const result = replaceCredentials(
      start,
      command(
        P.cos,
        'supplierByTransCoS',
        replacementsFor(P.supplierB, { replaces: P.supplierA.eui, originatorCounterFloor: 500 }),
        1,
        '6.23',
      ),
      NOW,
    );
    expect(result.body).toMatchObject({ status: 'success', replacementMode: 'supplierByTransCoS' });
    expect(statuses(result)).toEqual([0, 0]);
    expect(cellFor(result.state.trustAnchors, 'supplier', 'digitalSignature')?.eui).toBe(P.supplierB.eui);
    expect(cellFor(result.state.trustAnchors, 'supplier', 'keyAgreement')?.publicKey).toEqual(
      P.supplierB.ka.publicKey,
    );
    expect(result.state.counterFloors).toEqual({ [P.supplierB.eui]: 500 });
    expect(result.state.lastCounters[P.supplierA.eui]).toBeUndefined();
    expect(result.outputs?.alerts.map((a) => a.code)).toEqual(['0x8F70']);
  });

  it('the replacement mode decides: each mode is honoured for its own party and refused (127, nothing changed) for every other', () => {
    for (const mode of REPLACEMENT_MODES) {
      const rule = REPLACEMENT_MODE_RULES[mode];
      const fresh = freshFor(mode);
      for (const sender of FACTORY) {
        const start = device();
        const result = replaceCredentials(start, command(sender, mode, replacementsFor(fresh)), NOW);
        if (sender.role === rule.by) {
          expect(result.body?.status, `${mode} by ${sender.role}`).toBe('success');
        } else {
          expect(result.body?.status, `${mode} by ${sender.role}`).toBe('failure');
          expect(statuses(result).every((status) => status === 127)).toBe(true);
          expect(result.state).toBe(start);
        }
      }
    }
  });

  it('127 other - supplierByTransCoS may not replace a network operator cell', () => {
    const result = replaceCredentials(
      device(),
      command(P.cos, 'supplierByTransCoS', replacementsFor(P.no)),
      NOW,
    );
    expect(statuses(result)).toEqual([127, 127]);
  });

  it('5 badCertificate - a key that is not a P-256 point is refused, even in a certificate the Issuing CA signed', () => {
    const bad = replacementsFor(P.supplierB).map((r) => ({
      ...r,
      certificate: resignedCertificate(
        r.certificate as Uint8Array,
        THROW_AWAY_ISSUING_CA.privateKey,
        (tbs) => {
          // The point's last byte + 1: off the curve for these keys (checked by the expectation).
          const edited = Uint8Array.from(tbs);
          const key = r.keyUsage === 'digitalSignature' ? P.supplierB.ds.publicKey : P.supplierB.ka.publicKey;
          const at = Buffer.from(edited).indexOf(Buffer.from(key)) + key.length - 1;
          edited[at] = ((edited[at] ?? 0) + 1) & 0xff;
          return edited;
        },
      ),
    }));
    expect(statuses(replaceCredentials(device(), command(P.cos, 'supplierByTransCoS', bad), NOW))).toEqual([
      5, 5,
    ]);
  });

  it('10 noTrustAnchor - a device with no Network Operator cell has none to replace', () => {
    const noNo = device(FACTORY.filter((p) => p !== P.no));
    const result = replaceCredentials(
      noNo,
      command(P.recovery, 'anyExceptAbnormalRootByRecovery', replacementsFor(P.no)),
      NOW,
    );
    expect(statuses(result)).toEqual([10, 10]);
  });

  it('25 trustAnchorNotFound - the cell does not hold the party the command says it replaces', () => {
    const stale = replacementsFor(P.supplierB, { replaces: P.supplierB.eui });
    expect(statuses(replaceCredentials(device(), command(P.cos, 'supplierByTransCoS', stale), NOW))).toEqual([
      25, 25,
    ]);
  });

  it('all or nothing - one failing replacement leaves every cell as it was', () => {
    const [ds, ka] = replacementsFor(P.supplierB) as [CredentialReplacement, CredentialReplacement];
    const start = device();
    const result = replaceCredentials(
      start,
      command(P.cos, 'supplierByTransCoS', [ds, { ...ka, certificate: Uint8Array.from([0x30, 0x00]) }]),
      NOW,
    );
    expect(statuses(result)).toEqual([0, 5]);
    expect(result.state).toBe(start);
  });
});

describe('CS02b certificate validation on the device (replacement-certificate-checks.ts)', () => {
  const AFTER_EXPIRY = Date.parse('2047-01-01T00:00:00Z'); // the throw-away SMKI's certificates end in 2046
  const withBody = (payload: GbcsPayload, extra: Record<string, unknown>): GbcsPayload => ({
    ...payload,
    body: { ...payload.body, ...extra },
  });

  it('5 badCertificate - a certificate signed by a key that is not the Issuing CA; a device with the no-certificate-issuer-check defect trusts it', () => {
    const forged = replacementsFor(P.supplierB).map((r) => ({
      ...r,
      certificate: resignedCertificate(r.certificate as Uint8Array, deriveKeyPair('forger', 'ca').privateKey),
    }));
    const payload = command(P.cos, 'supplierByTransCoS', forged, 1, '6.23');
    const start = device();
    const refused = replaceCredentials(start, payload, NOW);
    expect(statuses(refused)).toEqual([5, 5]);
    expect(refused.state).toBe(start);
    const defective = replaceCredentials(start, payload, NOW, 'no-certificate-issuer-check');
    expect(statuses(defective)).toEqual([0, 0]);
  });

  it('5 badCertificate - no certification path, or a device without a Root cell: nothing to validate against', () => {
    const noPath = withBody(command(P.cos, 'supplierByTransCoS', replacementsFor(P.supplierB), 1, '6.23'), {
      certificationPath: [],
    });
    expect(statuses(replaceCredentials(device(), noPath, NOW))).toEqual([5, 5]);
    const rootless = device(FACTORY.filter((p) => p !== P.root));
    const payload = command(P.cos, 'supplierByTransCoS', replacementsFor(P.supplierB), 1, '6.23');
    expect(statuses(replaceCredentials(rootless, payload, NOW))).toEqual([5, 5]);
  });

  it('validity by the device clock: an expired certificate is refused while time-based CPV checks apply, accepted when the command disapplies them', () => {
    const payload = command(P.cos, 'supplierByTransCoS', replacementsFor(P.supplierB), 1, '6.23');
    expect(statuses(replaceCredentials(device(), payload, AFTER_EXPIRY))).toEqual([5, 5]);
    const disapplied = withBody(payload, { applyTimeBasedCpvChecks: false });
    expect(statuses(replaceCredentials(device(), disapplied, AFTER_EXPIRY))).toEqual([0, 0]);
  });

  it('5 badCertificate - a replacement that carries no certificate, only a subject and key, is not trusted', () => {
    const bare = replacementsFor(P.supplierB).map(({ certificate: _c, ...r }) => ({
      ...r,
      eui: P.supplierB.eui,
      publicKey: hex(r.keyUsage === 'digitalSignature' ? P.supplierB.ds.publicKey : P.supplierB.ka.publicKey),
    }));
    expect(
      statuses(replaceCredentials(device(), command(P.cos, 'supplierByTransCoS', bare, 1, '6.23'), NOW)),
    ).toEqual([5, 5]);
  });
});

describe('Root replacement (root-certificate-checks.ts)', () => {
  const NEXT_ROOT = deriveKeyPair('cs02b', 'next-root');
  let nextRoot: Uint8Array;
  let notSelfSigned: Uint8Array;
  beforeAll(async () => {
    nextRoot = await rootCertificate(NEXT_ROOT);
    notSelfSigned = await rootCertificate(NEXT_ROOT, { signer: THROW_AWAY_ROOT });
  });
  const rootReplacement = (by: Party, mode: ReplacementMode, certificate: Uint8Array, counter = 1) => ({
    ...command(by, mode, [{ role: 'root', keyUsage: 'digitalSignature', certificate }], counter),
    // Nothing is above a Root: the command needs no certification path.
    body: {
      replacementMode: mode,
      replacements: [{ role: 'root', keyUsage: 'digitalSignature', certificate }],
    },
  });

  it('rootBySupplier: a self-signed Root replaces the key in the Root cell, which keeps its identifier; 0x8F70', () => {
    const result = replaceCredentials(
      device(),
      rootReplacement(P.supplierA, 'rootBySupplier', nextRoot),
      NOW,
    );
    expect(statuses(result)).toEqual([0]);
    const root = cellFor(result.state.trustAnchors, 'root', 'digitalSignature');
    expect(root?.publicKey).toEqual(NEXT_ROOT.publicKey);
    expect(root?.eui).toBe(P.root.eui);
    expect(result.outputs?.alerts.map((a) => a.code)).toEqual(['0x8F70']);
  });

  it('after it, certificates validate up to the new Root: the old Root’s Issuing CA no longer, one the new Root signed does', async () => {
    const replaced = replaceCredentials(
      device(),
      rootReplacement(P.wan, 'rootByWanProvider', nextRoot),
      NOW,
    ).state;
    const underOld = command(P.cos, 'supplierByTransCoS', replacementsFor(P.supplierB), 2, '6.23');
    expect(statuses(replaceCredentials(replaced, underOld, NOW))).toEqual([5, 5]);
    const underNew = {
      ...underOld,
      body: { ...underOld.body, certificationPath: [await issuingCaCertificateUnder(NEXT_ROOT)] },
    };
    expect(statuses(replaceCredentials(replaced, underNew, NOW))).toEqual([0, 0]);
  });

  it('5 badCertificate - a new Root signed by the old one, not by its own key, changes nothing; the no-root-self-signature-check defect takes it', () => {
    const start = device();
    const payload = rootReplacement(P.supplierA, 'rootBySupplier', notSelfSigned);
    const refused = replaceCredentials(start, payload, NOW);
    expect(statuses(refused)).toEqual([5]);
    expect(refused.state).toBe(start);
    expect(statuses(replaceCredentials(start, payload, NOW, 'no-root-self-signature-check'))).toEqual([0]);
  });

  it('5 badCertificate - an organisation certificate under the Issuing CA is no Root (it was, before Root replacement was checked as GBCS has it)', () => {
    const organisation = certificates.get(certificateKey(P.supplierA, 'digitalSignature')) as Uint8Array;
    const result = replaceCredentials(
      device(),
      rootReplacement(P.supplierA, 'rootBySupplier', organisation),
      NOW,
    );
    expect(statuses(result)).toEqual([5]);
  });

  it('127 other - the Recovery party may replace any cell but the Root (anyExceptAbnormalRootByRecovery)', () => {
    const result = replaceCredentials(
      device(),
      rootReplacement(P.recovery, 'anyExceptAbnormalRootByRecovery', nextRoot),
      NOW,
    );
    expect(statuses(result)).toEqual([127]);
  });
});

describe('the machine around CS02b', () => {
  // Signed by `signer`, then MACed by the ACB for the device, as every critical command arrives.
  function frame(payload: GbcsPayload, signer: Party) {
    const keys = { ownKaPrivateKey: P.acb.ka.privateKey, peerKaPublicKey: DEVICE_KA.publicKey };
    return { apdu: encodeSignedAndMacProtected(commandApdu(payload), signer.ds.privateKey, keys) };
  }
  const env = { codec: cborContentCodec };
  // 6.15.1 and 6.23 travel as CS02b, which carries the certificates whole (GBCS.md §7.8).
  const certificates = new Map<string, Uint8Array>();
  beforeAll(async () => {
    for (const who of [P.supplierA, P.supplierB])
      for (const keyUsage of ['digitalSignature', 'keyAgreement'] as const) {
        const keys = keyUsage === 'digitalSignature' ? who.ds : who.ka;
        certificates.set(`${who.eui}/${keyUsage}`, await organisationCertificate(who, keyUsage, keys));
      }
  });
  // The certificates alone: what a User's request and the CS02b command carry.
  const certified = (target: Party, options: Partial<CredentialReplacement> = {}) =>
    replacementsFor(target, options).map(({ eui: _eui, publicKey: _key, ...r }) => ({
      ...r,
      certificate: certificates.get(`${target.eui}/${r.keyUsage}`) as Uint8Array,
    }));
  const toSupplierB = (options: Partial<CredentialReplacement> = {}) => certified(P.supplierB, options);

  it('0x8F30 - a supplier may not send 6.23 (only the CoS party may)', () => {
    const payload = command(P.supplierA, 'supplierByTransCoS', toSupplierB(), 5, '6.23');
    const step = stepDevice(device(), { type: 'frame', frame: frame(payload, P.supplierA), now: NOW }, env);
    expect(step.outcome).toBe('0x8F30');
  });

  it('0x8F3E - after a CoS, a command below the floor is refused even though no counter was seen from that party', () => {
    const cos = command(P.cos, 'supplierByTransCoS', toSupplierB({ originatorCounterFloor: 100 }), 7, '6.23');
    const after = stepDevice(device(), { type: 'frame', frame: frame(cos, P.cos), now: NOW }, env);
    expect(after.outcome).toBe('executed');
    const rekey = (counter: number) =>
      command(P.supplierB, 'supplierBySupplier', certified(P.supplierB), counter);
    const below = stepDevice(
      after.state,
      { type: 'frame', frame: frame(rekey(99), P.supplierB), now: NOW },
      env,
    );
    expect(below.outcome).toBe('0x8F3E');
    const at = stepDevice(
      after.state,
      { type: 'frame', frame: frame(rekey(100), P.supplierB), now: NOW },
      env,
    );
    expect(at.outcome).toBe('executed');
  });

  it('0x8F3D - the losing supplier signs a command after the CoS: no trust anchor names it', () => {
    const cos = command(P.cos, 'supplierByTransCoS', toSupplierB(), 7, '6.23');
    const after = stepDevice(device(), { type: 'frame', frame: frame(cos, P.cos), now: NOW }, env);
    const rekey = command(P.supplierA, 'supplierBySupplier', certified(P.supplierA), 1_000);
    expect(
      stepDevice(after.state, { type: 'frame', frame: frame(rekey, P.supplierA), now: NOW }, env).outcome,
    ).toBe('0x8F3D');
  });
});

describe('6.15.1 on the wire: CS02b with the certificates whole (GBCS.md §7.8)', () => {
  function frame(payload: GbcsPayload, signer: Party) {
    const keys = { ownKaPrivateKey: P.acb.ka.privateKey, peerKaPublicKey: DEVICE_KA.publicKey };
    return { apdu: encodeSignedAndMacProtected(commandApdu(payload), signer.ds.privateKey, keys) };
  }
  const env = { codec: cborContentCodec };
  const certificates = new Map<string, Uint8Array>();
  beforeAll(async () => {
    // supplier-b's keys certified as a Network Operator too (OU 03), for the operator's own mode.
    for (const [who, role] of [
      [P.supplierB, P.supplierB.role],
      [P.no, P.no.role],
      [P.supplierB, 'networkOperator'],
    ] as const)
      for (const keyUsage of ['digitalSignature', 'keyAgreement'] as const) {
        const keys = keyUsage === 'digitalSignature' ? who.ds : who.ka;
        certificates.set(
          `${who.eui}/${role}/${keyUsage}`,
          await organisationCertificate({ ...who, role }, keyUsage, keys),
        );
      }
  });
  const certified = (target: Party, role: RemotePartyRole = target.role, certifiedAs = role) =>
    (['digitalSignature', 'keyAgreement'] as const).map((keyUsage) => ({
      role,
      keyUsage,
      certificate: certificates.get(`${target.eui}/${certifiedAs}/${keyUsage}`) as Uint8Array,
    }));
  const response = (step: ReturnType<typeof stepDevice>) =>
    sentPayloads(step).find((p) => p.cra === 2)?.body as
      | { status: string; results: { status: number; eui: string }[] }
      | undefined;

  it('accept - supplier-a installs supplier-b from its certificates; the response names the new subject per cell', () => {
    const payload = command(P.supplierA, 'supplierBySupplier', certified(P.supplierB), 9);
    const step = stepDevice(device(), { type: 'frame', frame: frame(payload, P.supplierA), now: NOW }, env);
    expect(step.outcome).toBe('executed');
    expect(cellFor(step.state.trustAnchors, 'supplier', 'digitalSignature')).toMatchObject({
      eui: P.supplierB.eui,
      publicKey: P.supplierB.ds.publicKey,
    });
    expect(cellFor(step.state.trustAnchors, 'supplier', 'keyAgreement')?.publicKey).toEqual(
      P.supplierB.ka.publicKey,
    );
    expect(response(step)).toMatchObject({
      status: 'success',
      results: [
        { status: 0, eui: P.supplierB.eui },
        { status: 0, eui: P.supplierB.eui },
      ],
    });
  });

  it('5 badCertificate - bytes that are no certificate: every outcome refused, no cell changed', () => {
    const notCertificates = certified(P.supplierB).map((r) => ({
      ...r,
      certificate: Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x05]),
    }));
    const start = device();
    const payload = command(P.supplierA, 'supplierBySupplier', notCertificates, 9);
    const step = stepDevice(start, { type: 'frame', frame: frame(payload, P.supplierA), now: NOW }, env);
    expect(response(step)).toMatchObject({ status: 'failure', results: [{ status: 5 }, { status: 5 }] });
    expect(step.state.trustAnchors).toEqual(start.trustAnchors);
  });

  it('127 - the network operator may not use supplierBySupplier (wrong authority): nothing changed', () => {
    const start = device();
    const payload = command(P.no, 'supplierBySupplier', certified(P.supplierB), 9);
    const step = stepDevice(start, { type: 'frame', frame: frame(payload, P.no), now: NOW }, env);
    expect(response(step)).toMatchObject({ status: 'failure', results: [{ status: 127 }, { status: 127 }] });
    expect(step.state.trustAnchors).toEqual(start.trustAnchors);
  });

  it('0x0103 networkOperatorByNetworkOperator - the operator hands its cells to another certificate, read from the subject', () => {
    const payload = command(
      P.no,
      'networkOperatorByNetworkOperator',
      certified(P.supplierB, 'networkOperator'),
      9,
    );
    const step = stepDevice(device(), { type: 'frame', frame: frame(payload, P.no), now: NOW }, env);
    expect(response(step)?.status).toBe('success');
    expect(cellFor(step.state.trustAnchors, 'networkOperator', 'digitalSignature')?.eui).toBe(
      P.supplierB.eui,
    );
  });

  it("5 badCertificate - a Supplier's certificate (OU 02) into the Network Operator cells: nothing changed", () => {
    const start = device();
    const payload = command(
      P.no,
      'networkOperatorByNetworkOperator',
      certified(P.supplierB, 'networkOperator', 'supplier'),
      9,
    );
    const step = stepDevice(start, { type: 'frame', frame: frame(payload, P.no), now: NOW }, env);
    expect(response(step)).toMatchObject({ status: 'failure', results: [{ status: 5 }, { status: 5 }] });
    expect(step.state.trustAnchors).toEqual(start.trustAnchors);
  });

  it("a mode with no GBCS code here travels on trialsim's profile with the certificates: the device reads them the same way", () => {
    const result = replaceCredentials(
      device(),
      command(P.recovery, 'anyExceptAbnormalRootByRecovery', certified(P.no)),
      NOW,
    );
    expect(result.body?.status).toBe('success');
    expect(cellFor(result.state.trustAnchors, 'networkOperator', 'keyAgreement')?.publicKey).toEqual(
      P.no.ka.publicKey,
    );
    const unreadable = certified(P.no).map((r) => ({ ...r, certificate: new Uint8Array([1, 2, 3]) }));
    const refused = replaceCredentials(
      device(),
      command(P.recovery, 'anyExceptAbnormalRootByRecovery', unreadable),
      NOW,
    );
    expect(statuses(refused)).toEqual([5, 5]);
  });
});
