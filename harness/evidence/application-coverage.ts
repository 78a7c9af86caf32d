import type { RunResults } from '../results/result-types.js';
import type { TestedDevice } from '../results/scenario-evidence-types.js';
import type { Application } from './application-file.js';

/**
 * Whether the evidence covers the application it is bound to: the application names a Device Model
 * (manufacturer, device type, model, hardware and firmware version) and the firmware image hash;
 * the evidence covers it only if a device under test of exactly that model ran exactly that
 * image, and no trial device of another model stood in for it. A run of simulated devices shows
 * the DCC-side processes for the model; it tests no firmware, so it does not cover the image.
 */
export type CoverageVerdict = 'covered' | 'not covered';

export interface ApplicationCoverage {
  readonly verdict: CoverageVerdict;
  /** Why, one sentence each, the deciding one first. */
  readonly reasons: readonly string[];
  /** Trial devices of the run (those commissioned under a trial, and every device under test). */
  readonly trialDevices: readonly (TestedDevice & { readonly scenario: string; readonly matches: boolean })[];
}

export function describeModel(d: {
  deviceType: string;
  manufacturer: string;
  model: string;
  hardwareVersion: string;
  firmwareVersion: string;
}): string {
  return `${d.deviceType} ${d.manufacturer} ${d.model}, hardware ${d.hardwareVersion}, firmware ${d.firmwareVersion}`;
}

function sameModel(app: Application, d: TestedDevice): boolean {
  const m = app.deviceModel;
  return (
    d.deviceType === m.deviceType &&
    d.manufacturer === app.manufacturer.name &&
    d.model === m.model &&
    d.hardwareVersion === m.hardwareVersion &&
    d.firmwareVersion === m.firmwareVersion
  );
}

export function applicationCoverage(
  app: Application,
  results: Pick<RunResults, 'scenarios'>,
): ApplicationCoverage {
  const applied = describeModel({ ...app.deviceModel, manufacturer: app.manufacturer.name });
  const trialDevices = results.scenarios.flatMap((s) =>
    (s.devices ?? [])
      .filter((d) => d.role === 'device under test' || d.trialId !== undefined)
      .map((d) => ({ ...d, scenario: s.id, matches: sameModel(app, d) })),
  );
  const reasons: string[] = [];
  const others = trialDevices.filter((d) => !d.matches);
  for (const d of others) {
    reasons.push(
      `scenario ${d.scenario} tested ${d.role === 'device under test' ? 'device under test' : 'trial device'} ${d.id}, a ${describeModel(d)}: not the Device Model of the application (${applied})`,
    );
  }
  const duts = trialDevices.filter((d) => d.role === 'device under test' && d.matches);
  const hash = app.deviceModel.firmwareImageHash;
  let covered = others.length === 0;
  if (trialDevices.length === 0) {
    covered = false;
    reasons.unshift('no trial device was tested in this run');
  } else if (duts.length === 0) {
    covered = false;
    reasons.unshift(
      `no device under test of the application's Device Model was tested: every trial device was simulated, so the run shows the DCC-side processes for the model but tests no firmware${hash === undefined ? '' : ` (image ${hash})`}`,
    );
  } else if (hash === undefined) {
    covered = false;
    reasons.unshift(
      'the application names no firmware image hash (deviceModel.firmwareImageHash) to bind the evidence to',
    );
  } else {
    const running = duts.filter((d) => d.firmwareImageHash === hash);
    const unknown = duts.filter((d) => d.firmwareImageHash === undefined);
    const wrong = duts.filter((d) => d.firmwareImageHash !== undefined && d.firmwareImageHash !== hash);
    for (const d of wrong) {
      reasons.push(
        `device under test ${d.id} in ${d.scenario} ran firmware image ${d.firmwareImageHash}${d.firmwareImageHashFrom === undefined ? '' : ` (${d.firmwareImageHashFrom})`}, not the application's ${hash}`,
      );
    }
    for (const d of unknown) {
      reasons.push(
        `device under test ${d.id} in ${d.scenario} did not show which firmware image it runs (no 11.3 it answered with success; declare it with --dut-image-hash ${d.id}=<sha256>)`,
      );
    }
    if (running.length === 0 || wrong.length > 0) covered = false;
    if (covered) {
      const declared = running.filter((d) => d.firmwareImageHashFrom === 'declared by the operator');
      reasons.unshift(
        `devices under test of the application's Device Model ran its firmware image ${hash} in ${[...new Set(running.map((d) => d.scenario))].join(', ')}${declared.length === 0 ? '' : ` (for ${[...new Set(declared.map((d) => `${d.id} in ${d.scenario}`))].join(', ')} as the operator declared it with --dut-image-hash; the device did not show it)`}`,
      );
    }
  }
  return { verdict: covered ? 'covered' : 'not covered', reasons, trialDevices };
}
