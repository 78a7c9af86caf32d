import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../harness/package-root.js';
import { type FigureTable, fixed } from './figure-table.js';
import { scaleTrialScenario } from './scale-trial-scenario.js';
import { timeCli } from './wall-time.js';

const SECTION = '5. Scale: an 18-month trial of thousands of devices in one process (trialsim run)';
/** Peak memory per device the scale trial may use (issue target: 100 KB). */
const PEAK_KB_TARGET = 100;
/** Writing the evidence may raise the run's peak by at most this factor (issue: it streams). */
const WRITING_PEAK_TARGET = 1.1;

/**
 * full-trial-100 scaled to `devices` ESMEs (each behind its own comms hub), run by `trialsim run`
 * in one child process as a user runs it: exit code, wall and CPU time, peak RSS per device.
 */
export async function scaleTrialSection(table: FigureTable, devices: number): Promise<void> {
  table.startSection(SECTION);
  const source = await readFile(join(PACKAGE_ROOT, 'scenarios', 'full-trial-100.yaml'), 'utf8');
  const dir = await mkdtemp(join(tmpdir(), 'trialsim-scale-trial-'));
  try {
    const file = join(dir, `full-trial-${devices}.yaml`);
    await writeFile(file, scaleTrialScenario(source, devices));
    let run: Awaited<ReturnType<typeof timeCli>>;
    try {
      run = await timeCli(['run', file]);
    } catch (err) {
      table.add({
        section: SECTION,
        what: `${fixed(devices)}-device 18-month trial, 1 process: exit code`,
        value: 'no result',
        beside: (err as Error).message.slice(0, 400),
        met: false,
      });
      return;
    }
    const peakKb = run.maxRssKb / devices;
    table.add({
      section: SECTION,
      what: `${fixed(devices)}-device 18-month trial, 1 process: exit code`,
      value: `exit ${run.code}`,
      beside: `wall ${fixed(run.wallMs / 1000, 1)} s, CPU ${fixed(run.cpuMs / 1000, 1)} s, ${fixed(run.wallMs / devices, 1)} ms per device (target: exit 0)`,
      met: run.code === 0,
    });
    table.add({
      section: SECTION,
      what: `${fixed(devices)}-device 18-month trial: peak memory per device`,
      value: `${fixed(peakKb, 1)} KB`,
      beside: `peak RSS ${fixed(run.maxRssKb / 1024)} MB for ${fixed(devices)} ESMEs + ${fixed(devices)} comms hubs, ${run.code === 0 ? 'evidence written' : 'the run failed, so this says nothing'} (target ≤ ${PEAK_KB_TARGET} KB)`,
      // A run that stopped early used little memory by stopping: only a finished trial meets it.
      met: run.code === 0 && peakKb <= PEAK_KB_TARGET,
      ratio: peakKb / PEAK_KB_TARGET,
      target: { kind: 'atMost', value: 1 },
    });
    const running = run.maxRssKbBeforeWriting;
    if (running !== undefined) {
      const factor = run.maxRssKb / running;
      table.add({
        section: SECTION,
        what: `${fixed(devices)}-device 18-month trial: peak while writing the evidence / while running`,
        value: `${fixed(factor, 2)}×`,
        beside: `peak RSS ${fixed(running / 1024)} MB before the bundle was begun, ${fixed(run.maxRssKb / 1024)} MB in all (target ≤ ${WRITING_PEAK_TARGET}×)`,
        met: run.code === 0 && factor <= WRITING_PEAK_TARGET,
        ratio: factor / WRITING_PEAK_TARGET,
        target: { kind: 'atMost', value: 1 },
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
