import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ConformanceBench, conformanceFiles } from '../../../harness/dut/mutants/conformance-run.js';
import { MUTANTS } from '../../../harness/dut/mutants/mutant-catalogue.js';
import { runMutants } from '../../../harness/dut/mutants/run-mutants.js';
import { loadScenario } from '../../../harness/scenario/scenario-loader.js';
import { DEVICE_DEFECTS } from '../../../simulator/domain/device/device-defects.js';

describe('the conformance suite has teeth: the mutant catalogue (a device that breaks a rule fails the suite)', () => {
  it('the catalogue has one mutant per named defect, at least 15, each naming the rule it breaks', () => {
    expect(MUTANTS.map((m) => m.defect).sort()).toEqual([...DEVICE_DEFECTS].sort());
    expect(MUTANTS.length).toBeGreaterThanOrEqual(15);
    for (const m of MUTANTS) expect(m.rule).toMatch(/^DEV-/);
  });

  it("the README and MUTANTS.md give the catalogue's figure", async () => {
    const figure = `${MUTANTS.length} of ${MUTANTS.length} mutants killed`;
    expect(await readFile('README.md', 'utf8')).toContain(`**${figure}**`);
    expect(await readFile('harness/dut/mutants/MUTANTS.md', 'utf8')).toContain(`**Figure: ${figure}**`);
    const table = await readFile('harness/dut/mutants/MUTANTS.md', 'utf8');
    for (const m of MUTANTS) expect(table).toContain(`| \`${m.defect}\``);
  });

  it('every device rule a conformance case names has at least one mutant written to break it', async () => {
    const rules = new Set<string>();
    for (const file of await conformanceFiles()) {
      for (const step of (await loadScenario(file)).definition.steps) {
        const named = (step as { requirement?: string | readonly string[] }).requirement;
        for (const r of named === undefined ? [] : typeof named === 'string' ? [named] : named) {
          if (r.startsWith('DEV-')) rules.add(r);
        }
      }
    }
    expect(rules.size).toBeGreaterThan(20);
    const covered = new Set(MUTANTS.map((m) => m.rule));
    expect([...rules].filter((r) => !covered.has(r)).sort()).toEqual([]);
  });

  it('the unmodified reference device passes every conformance case, and every mutant fails one', async () => {
    const files = await conformanceFiles();
    expect(files.some((f) => f.endsWith('conformance-authentication.yaml'))).toBe(true);
    // bail: a mutant is killed by its first failing scenario; the 2-core CI needs no more.
    const { reference, referenceReport, results } = await runMutants({ files, bail: true });
    expect(reference.map((s) => `${s.id}: ${s.verdict}${s.message ? ` (${s.message})` : ''}`)).toEqual(
      reference.map((s) => `${s.id}: passed`),
    );
    expect(reference.length).toBe(files.length);
    const survivors = results.filter((r) => !r.killed).map((r) => `${r.mutant.defect} survived`);
    expect(survivors).toEqual([]);
    expect(results).toHaveLength(MUTANTS.length);
    for (const r of results) expect(r.caughtBy.length, r.mutant.defect).toBeGreaterThan(0);
    // A CS02b mutant is killed on the rule it was written to break, not by accident elsewhere: the
    // report then says which check a device failed (one requirement per certificate check). Under
    // bail the other mutants are named by whichever scenario fails first, often another rule's.
    const offRule = results
      .filter((r) => r.mutant.rule.startsWith('DEV-CS02B-') && !r.caughtBy.includes(r.mutant.rule))
      .map((r) => `${r.mutant.defect}: caught by ${r.caughtBy.join(', ')}, not ${r.mutant.rule}`);
    expect(offRule).toEqual([]);

    // Honest credit: the device is credited with what its own messages decided; the DCC's E12
    // replay refusals (replay.yaml) and E-code access control are shown apart.
    const own = referenceReport.requirements.map((r) => r.requirement);
    for (const rule of new Set(MUTANTS.map((m) => m.rule))) expect(own).toContain(rule);
    expect(referenceReport.requirements.every((r) => r.verdict === 'passed')).toBe(true);
    const dcc = referenceReport.checkedElsewhere.filter((r) => r.by === 'dcc').map((r) => r.requirement);
    expect(dcc).toContain('EV-SECURITY-ACCESS-CONTROL');
    expect(own).not.toContain('EV-SECURITY-ACCESS-CONTROL');
    const replay = referenceReport.checkedElsewhere.find((r) => r.requirement === 'EV-SECURITY-REPLAY');
    expect(replay?.checkedBy.map((c) => c.scenario)).toEqual(['replay', 'replay', 'replay']);
  }, 600_000);

  it("a scenario that cuts the device under test's power is reported not applicable with the reason, not as an error", async () => {
    const bench = await ConformanceBench.start(['scenarios/ota-power-loss.yaml']);
    try {
      const { results, report } = await bench.run(undefined);
      expect(results.scenarios[0]?.verdict).toBe('skipped');
      expect(results.verdict).not.toBe('error');
      expect(report.scenarios[0]).toEqual({
        id: 'ota-power-loss',
        verdict: 'notApplicable',
        message: expect.stringMatching(/step \d+ cuts esme1's power: only a simulated device/),
      });
    } finally {
      await bench.stop();
    }
  }, 60_000);
});
