import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ScenarioLoadError } from '../../../../harness/scenario/scenario-error.js';
import { loadScenario } from '../../../../harness/scenario/scenario-loader.js';
import { scenarioPolicy } from '../../../../harness/scenario/trial-setup.js';

/**
 * The scenario language for trial rules: `policy:` overrides of the policy registry, SSC steps,
 * `none:` absence assertions and preinstalled devices declared with their trial. A mistake in any
 * of them is refused when the file is loaded, naming what is wrong, never run as if it held.
 */
const devices = (esme1: string) => `devices:
  - id: chf1
    model: acme-comms-hub
    eui: 00-12-4B-00-00-00-00-01
    preinstalled: true
  - id: esme1
    model: ${esme1}
    eui: 00-12-4B-00-00-00-01-01
    chf: chf1
    preinstalled: true
    trial: T-0001
`;

function scenario(parts: { top?: string; approval?: string; esme1?: string; steps: string[] }): string {
  return `scenario: trial-language
title: trial language
${parts.top ?? ''}
trials:
  - trialId: T-0001
    cpaCertificateReference: TRIAL-SSC-0001
    manufacturer: Acme Meters Ltd
    deviceType: ESME
    sponsor: supplier-a
${parts.approval === undefined ? '' : `    approval: ${parts.approval}\n`}${devices(parts.esme1 ?? 'acme-trial-esme')}steps:
${parts.steps.join('\n')}
`;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trialsim-trial-language-'));
});

async function load(name: string, text: string) {
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, text);
  return loadScenario(file);
}

async function loadError(name: string, text: string): Promise<ScenarioLoadError> {
  try {
    await load(name, text);
  } catch (err) {
    if (err instanceof ScenarioLoadError) return err;
    throw err;
  }
  throw new Error(`${name} loaded without error`);
}

const ADVANCE = '  - advance: 1 day';

describe('scenario policy: overrides of the policy registry', () => {
  it('POLICY-OVERRIDE - a scenario’s policy: values replace the defaults for the run', async () => {
    const loaded = await load(
      'policy-ok',
      scenario({
        top: 'policy:\n  firmware.screening.11.1: warn\n  trial.maxDevices: 5',
        steps: [ADVANCE],
      }),
    );
    const values = scenarioPolicy(loaded.definition);
    expect(values['firmware.screening.11.1']).toBe('warn');
    expect(values['trial.maxDevices']).toBe(5);
    expect(values['firmware.screening.11.3']).toBe('refuse');
  });

  it('POLICY-OVERRIDE - an unknown setting is refused at load time, listing the settings', async () => {
    const err = await loadError(
      'policy-unknown',
      scenario({ top: 'policy:\n  trial.maxDevice: 5', steps: [ADVANCE] }),
    );
    expect(err.problem).toContain('unknown policy setting "trial.maxDevice"');
    expect(err.problem).toContain('trial.maxDevices');
  });

  it('POLICY-OVERRIDE - a fixed setting or a value outside its choices is refused', async () => {
    const fixed = await loadError(
      'policy-fixed',
      scenario({ top: 'policy:\n  trial.capCounts: currentlyOnTrial', steps: [ADVANCE] }),
    );
    expect(fixed.problem).toContain('is fixed');
    const choice = await loadError(
      'policy-choice',
      scenario({ top: 'policy:\n  firmware.screening.11.3: ignore', steps: [ADVANCE] }),
    );
    expect(choice.problem).toContain('one of refuse, warn');
  });
});

describe('SSC steps', () => {
  it('SSC-STEP - a step naming a trial the scenario does not declare is refused', async () => {
    const err = await loadError(
      'ssc-unknown',
      scenario({ steps: ['  - ssc: { extend: T-0009, months: 1 }'] }),
    );
    expect(err.problem).toContain('no trial "T-0009"');
  });

  it('SSC-STEP - approve is only for a trial declared approval: step', async () => {
    const err = await loadError('ssc-approve', scenario({ steps: ['  - ssc: { approve: T-0001 }'] }));
    expect(err.problem).toContain('approval: step');
    await load('ssc-approve-ok', scenario({ approval: 'step', steps: ['  - ssc: { approve: T-0001 }'] }));
  });

  it('SSC-STEP - one action per step; extend needs months', async () => {
    const both = await loadError(
      'ssc-both',
      scenario({ steps: ['  - ssc: { extend: T-0001, months: 1, withdraw: T-0001 }'] }),
    );
    expect(both.problem).toContain('approve, extend or withdraw');
    const months = await loadError('ssc-months', scenario({ steps: ['  - ssc: { extend: T-0001 }'] }));
    expect(months.problem).toContain('extend needs months');
  });
});

describe('absence assertions (none:)', () => {
  it('NONE - a misspelt alert name is refused, so an absence cannot pass by matching nothing', async () => {
    const err = await loadError(
      'none-typo',
      scenario({ steps: ['  - expect: { none: { alert: { to: supplier-a, alert: DeviceSuspend } } }'] }),
    );
    expect(err.problem).toMatch(/DeviceSuspend/);
  });

  it('NONE - the party and device it names must exist', async () => {
    const party = await loadError(
      'none-party',
      scenario({ steps: ['  - expect: { none: { alert: { to: supplier-z } } }'] }),
    );
    expect(party.problem).toContain('"supplier-z" is not a DCC User');
    const device = await loadError(
      'none-device',
      scenario({ steps: ['  - expect: { none: { outcome: { srv: "8.1.1", device: esme9 } } }'] }),
    );
    expect(device.problem).toContain('no device "esme9"');
  });

  it('NONE - says one thing, over since or within', async () => {
    const two = await loadError(
      'none-two',
      scenario({
        steps: ['  - expect: { none: { alert: { to: supplier-a }, outcome: { srv: "8.1.1" } } }'],
      }),
    );
    expect(two.problem).toContain('one of alert, message or outcome');
    const span = await loadError(
      'none-span',
      scenario({
        steps: ['  - expect: { none: { alert: { to: supplier-a }, within: 2 days, since: 2027-01-01 } }'],
      }),
    );
    expect(span.problem).toContain('since or within, not both');
    const duration = await loadError(
      'none-duration',
      scenario({ steps: ['  - expect: { none: { alert: { to: supplier-a }, within: 2 fortnights } }'] }),
    );
    expect(duration.problem).toContain('unknown unit');
  });
});

describe('preinstalled devices declared with their trial', () => {
  it('TRIAL-DECLARATION - a device declared on a trial must run that trial’s firmware by the CPL', async () => {
    const err = await loadError(
      'declared-certified',
      scenario({ esme1: 'acme-certified-esme', steps: [ADVANCE] }),
    );
    expect(err.problem).toContain('declared on trial T-0001 (TRIAL-SSC-0001)');
    expect(err.problem).toContain('CPA-certified firmware (CPA-2023-0042)');
    await load('declared-ok', scenario({ steps: [ADVANCE] }));
  });

  it('TRIAL-DECLARATION - only a preinstalled device is declared, and only on a declared trial', async () => {
    const notPreinstalled = await loadError(
      'declared-not-preinstalled',
      scenario({ steps: [ADVANCE] }).replace('    preinstalled: true\n    trial:', '    trial:'),
    );
    expect(notPreinstalled.problem).toContain('only a preinstalled device');
    const unknown = await loadError(
      'declared-unknown',
      scenario({ steps: [ADVANCE] }).replace('    trial: T-0001', '    trial: T-0002'),
    );
    expect(unknown.problem).toContain('no trial "T-0002"');
  });
});
