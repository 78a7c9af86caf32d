import cliProgress from 'cli-progress';
import type { ScenarioResult, StepResult } from '../results/result-types.js';
import type { Reporter } from './reporter.js';

/**
 * A progress bar over the scenarios of a run, naming the scenario and step in progress. For
 * terminals only: the CLI leaves it out when stderr is not a TTY or output is --json. Lines other
 * reporters print go through `log`, above the bar, so the two never garble each other.
 */
export class ProgressReporter implements Reporter {
  private readonly multibar = new cliProgress.MultiBar(
    {
      format: ' {bar} {value}/{total} scenarios | {scenario} {step}',
      hideCursor: true,
      clearOnComplete: true,
      stopOnComplete: false,
      barsize: 24,
    },
    cliProgress.Presets.shades_classic,
  );
  private bar: cliProgress.SingleBar | undefined;

  /** Writes a line above the bar. */
  log(line: string): void {
    this.multibar.log(`${line}\n`);
  }

  onRunStart(scenarioCount: number): void {
    this.bar = this.multibar.create(scenarioCount, 0, { scenario: '', step: '' });
  }

  onScenarioStart(id: string): void {
    this.bar?.update({ scenario: id, step: '' });
  }

  onStepEnd(_scenarioId: string, step: StepResult): void {
    this.bar?.update({ step: `· step ${step.index + 1}: ${step.title}`.slice(0, 60) });
  }

  onStepProgress(_scenarioId: string, text: string): void {
    this.bar?.update({ step: `· ${text}` });
  }

  onScenarioEnd(_result: ScenarioResult): void {
    this.bar?.increment(1, { step: '' });
  }

  onRunEnd(): void {
    // Lines logged since the last redraw are printed by a redraw; stop() alone would drop them.
    this.multibar.update();
    this.multibar.stop();
  }
}
