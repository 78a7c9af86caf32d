import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFirmwareReferences } from '../../../harness/scenario/firmware-references.js';
import { feedRegistration } from '../../../harness/stack/churn-operations.js';
import type { DeviceSpec } from '../../../harness/stack/device-spec.js';
import { DCC_EUI, partyByName } from '../../../harness/stack/parties.js';
import { SimStack } from '../../../harness/stack/sim-stack.js';
import { addCplEntry, approveTrial } from '../../../simulator/domain/dcc/trial-administration.js';
import type { Eui } from '../../../simulator/domain/eui.js';
import { dnoNotification } from '../../../simulator/domain/reports/dno-notification.js';
import { oprReport } from '../../../simulator/domain/reports/opr-report.js';
import { type SscTrialSummary, sscTrialReport } from '../../../simulator/domain/reports/ssc-trial-report.js';
import { DEFAULT_TRIAL_POLICY } from '../../../simulator/domain/trial/trial.js';
import type { FinalOutcome } from '../../../simulator/parties/dcc-user-agent.js';
import { addMonths } from '../../../simulator/time/durations.js';
import { CHF, esme } from '../../support/acme-world.js';

/**
 * A whole trial over the real broker, with the SSC report checked at each stage (TRIALS.md):
 * approval → three devices commissioned, a fourth refused by the cap → Change of Supplier of one
 * → OTA upgrade of another to CPA-certified firmware → trial end (overdue, Suspended, E5) →
 * removal of the rest. The report is also re-run "as of" earlier stages at the end.
 */
const START = Date.parse('2027-01-04T09:00:00Z');
const DAY = 86_400_000;
const A = partyByName('supplier-a').eui;
const B = partyByName('supplier-b').eui;
const NO = partyByName('network-operator').eui;

const ESMES = [1, 2, 3, 4].map((n) => esme(n)) as [DeviceSpec, DeviceSpec, DeviceSpec, DeviceSpec];
const CPL = [
  { ...CHF, cpaCertificateReference: 'CPA-2024-0117', status: 'Active' as const, imageHash: undefined },
  { ...ESMES[0], cpaCertificateReference: 'TRIAL-SSC-0001', status: 'Active' as const, imageHash: undefined },
];

function code(outcome: FinalOutcome): string {
  return outcome.kind === 'response' ? outcome.response.responseCode : (outcome.alert.alertCode ?? 'alert');
}

describe('a whole trial timeline over the broker, with the SSC report at each stage', () => {
  let stack: SimStack;
  const snapshots = new Map<string, { at: number; trial: SscTrialSummary }>();

  const send = async (as: string, srv: string, target: Eui, body: Record<string, unknown> = {}) => {
    const outcome = await stack.user(as).request({ srv, target, body }).final;
    await stack.settle();
    return outcome;
  };
  const report = (stage: string): SscTrialSummary => {
    const trial = sscTrialReport(stack.dcc.core.state, stack.clock.now()).trials[0] as SscTrialSummary;
    snapshots.set(stage, { at: stack.clock.now(), trial });
    return trial;
  };
  const install = async (spec: DeviceSpec) => {
    const body = {
      deviceId: spec.eui,
      deviceType: 'ESME',
      manufacturer: spec.manufacturer,
      model: spec.model,
      hardwareVersion: spec.hardwareVersion,
      firmwareVersion: spec.firmwareVersion,
      networkOperator: NO,
    };
    expect(code(await send('supplier-a', '12.2', DCC_EUI, body))).toBe('I0');
    expect(code(await send('supplier-a', '8.11', CHF.eui, { action: 'add', deviceId: spec.eui }))).toBe('I0');
    expect(
      code(
        await send('supplier-a', '8.4', DCC_EUI, { deviceId: spec.eui, status: 'InstalledNotCommissioned' }),
      ),
    ).toBe('I0');
  };

  beforeAll(async () => {
    stack = await SimStack.start({
      seed: 'dcc-trial-timeline',
      start: START,
      devices: [CHF, ...ESMES],
      cpl: CPL,
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('stage 0 - the SSC approves trial T-0001 (cap 3, 6 months): nothing in the field yet', async () => {
    const approved = approveTrial(stack.dcc.core.state, {
      trialId: 'T-0001',
      cpaCertificateReference: 'TRIAL-SSC-0001',
      manufacturer: 'Acme Meters Ltd',
      deviceType: 'ESME',
      sponsor: A,
      start: START,
      policy: { ...DEFAULT_TRIAL_POLICY, maxDevices: 3, durationMonths: 6, eligibility: 'none' },
    });
    expect(approved.ok).toBe(true);
    if (approved.ok) await stack.dcc.execute(approved.effects);
    expect(report('approved')).toMatchObject({
      phase: 'running',
      inField: 0,
      commissioned: 0,
      capHeadroom: 3,
    });
  });

  it('stage 1 - three devices commissioned; the fourth is refused by TRIAL-CAP', async () => {
    // Reports resolve to the virtual instant: later stages happen at later instants.
    await stack.advanceTo(START + 3_600_000);
    for (const spec of ESMES) await install(spec);
    for (const spec of ESMES.slice(0, 3)) {
      expect(code(await send('supplier-a', '8.1.1', spec.eui))).toBe('I0');
      await stack.advanceTo(stack.clock.now() + DAY);
    }
    const refused = await send('supplier-a', '8.1.1', ESMES[3].eui);
    expect(refused.kind === 'response' && refused.response.rule).toBe('TRIAL-CAP');
    expect(report('commissioned')).toMatchObject({
      inField: 3,
      commissioned: 3,
      capHeadroom: 0,
      byStatus: { Commissioned: 3 },
      bySupplier: { [A]: 3 },
    });
    expect(dnoNotification(stack.dcc.core.state, stack.clock.now()).networkOperators).toMatchObject([
      {
        networkOperator: NO,
        trialDevices: [{ deviceId: ESMES[0].eui }, { deviceId: ESMES[1].eui }, { deviceId: ESMES[2].eui }],
      },
    ]);
  });

  it('stage 2 - Change of Supplier: supplier-b answers for esme3', async () => {
    await stack.advanceTo(START + 30 * DAY);
    feedRegistration(stack, ESMES[2].eui, 'supplier', 'supplier-b', stack.clock.now(), 'CoS');
    expect(code(await send('supplier-b', '6.23', ESMES[2].eui))).toBe('I0');
    expect(report('changeOfSupplier')).toMatchObject({ inField: 3, bySupplier: { [A]: 2, [B]: 1 } });
  });

  it('stage 3 - esme2 is upgraded OTA to CPA-certified firmware 1.0.0 and leaves the trial', async () => {
    await stack.advanceTo(START + 60 * DAY);
    await stack.dcc.execute(
      addCplEntry(
        stack.dcc.core.state,
        {
          ...ESMES[1],
          firmwareVersion: '1.0.0',
          cpaCertificateReference: 'CPA-2027-0201',
          status: 'Active',
          imageHash: undefined,
        },
        stack.clock.now(),
      ),
    );
    const distribute = await resolveFirmwareReferences(
      '11.1',
      { deviceIds: [ESMES[1].eui], firmwareImage: 'acme-e-trial-1.0.0' },
      stack,
    );
    expect(code(await send('supplier-a', '11.1', DCC_EUI, distribute))).toBe('I0');
    const activate = await resolveFirmwareReferences('11.3', { firmwareImage: 'acme-e-trial-1.0.0' }, stack);
    expect(code(await send('supplier-a', '11.3', ESMES[1].eui, activate))).toBe('I0');
    expect(stack.dcc.core.state.smi.get(ESMES[1].eui)).toMatchObject({
      firmwareVersion: '1.0.0',
      trialId: undefined,
    });
    expect(report('upgraded')).toMatchObject({
      inField: 2,
      upgraded: 1,
      overdue: 0,
      bySupplier: { [A]: 1, [B]: 1 },
    });
  });

  it('stage 4 - the end date passes: the rest are Suspended, overdue and refused with E5', async () => {
    await stack.advanceTo(addMonths(START, 6) + DAY);
    expect(report('ended')).toMatchObject({
      phase: 'ended',
      inField: 2,
      overdue: 2,
      upgraded: 1,
      byStatus: { Suspended: 2 },
      bySupplier: { [A]: 1, [B]: 1 },
    });
    expect(
      stack
        .user('supplier-a')
        .alerts.some((a) => a.alert === 'DeviceSuspended' && a.deviceId === ESMES[0].eui),
    ).toBe(true);
    expect(
      stack
        .user('supplier-b')
        .alerts.some((a) => a.alert === 'DeviceSuspended' && a.deviceId === ESMES[2].eui),
    ).toBe(true);
    expect(code(await send('supplier-a', '4.1.1', ESMES[0].eui))).toBe('E5');
    expect(code(await send('supplier-a', '11.2', ESMES[0].eui))).toBe('I0');
    expect(code(await send('supplier-a', '4.1.1', ESMES[1].eui))).toBe('I0'); // upgraded: normal service
  });

  it('stage 5 - the responsible suppliers remove the overdue devices; none is left behind', async () => {
    await stack.advanceTo(stack.clock.now() + DAY);
    expect(code(await send('supplier-b', '8.3', DCC_EUI, { deviceId: ESMES[2].eui }))).toBe('I0');
    expect(report('oneRemoved')).toMatchObject({ inField: 1, overdue: 1, removed: 1 });
    await stack.advanceTo(stack.clock.now() + DAY);
    expect(code(await send('supplier-a', '8.3', DCC_EUI, { deviceId: ESMES[0].eui }))).toBe('I0');
    expect(report('closed')).toMatchObject({
      inField: 0,
      overdue: 0,
      removed: 2,
      upgraded: 1,
      commissioned: 3,
      byStatus: {},
      bySupplier: {},
    });
    expect(dnoNotification(stack.dcc.core.state, stack.clock.now()).networkOperators).toEqual([]);
  });

  it('the report re-run "as of" each earlier stage gives the same counts, suppliers included', () => {
    for (const [stage, { at, trial }] of snapshots) {
      const again = sscTrialReport(stack.dcc.core.state, at).trials[0];
      const counts = (t: SscTrialSummary | undefined) =>
        t && [
          t.phase,
          t.inField,
          t.commissioned,
          t.upgraded,
          t.removed,
          t.overdue,
          t.byStatus,
          t.bySupplier,
          t.capHeadroom,
        ];
      expect(counts(again), stage).toEqual(counts(trial));
    }
  });

  it("OPR - the trial devices' SRs are excluded, visibly; the upgraded device counts again", () => {
    const opr = oprReport(stack.dcc.core.state, stack.clock.now());
    expect(opr.excludedTrials).toEqual(['T-0001']);
    expect(opr.excluded.requests).toBeGreaterThan(0);
    // The fourth device's 8.1.1 refused by TRIAL-CAP is excluded too: it runs trial firmware, so
    // it is a trial device from its first contact (trial-membership.ts), commissioned or not.
    expect(opr.excluded.byOutcome.E5).toBe(2);
    expect(opr.withTrialDevices.requests).toBe(opr.withoutTrialDevices.requests + opr.excluded.requests);
    const upgradedRead = stack.dcc.core.state.outcomes.find(
      (o) => o.srv === '4.1.1' && o.device === ESMES[1].eui,
    );
    expect(upgradedRead).toMatchObject({ outcome: 'I0', trialDevice: false });
  });
});
