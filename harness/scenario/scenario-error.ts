import { TrialsimError } from '../../simulator/errors.js';

/** A scenario file that cannot be used: the message names the file, line:col and what is wrong. */
export class ScenarioLoadError extends TrialsimError {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly problem: string,
    readonly col?: number,
  ) {
    super(
      'SCENARIO_INVALID',
      `${file}${line === undefined ? '' : `:${line}${col === undefined ? '' : `:${col}`}`}: ${problem}`,
    );
  }
}
