import { ScenarioLoadError } from './scenario-error.js';
import type { LoadedScenario } from './scenario-loader.js';

/**
 * Two files with one scenario id would both run and collide in the report, results.json and
 * JUnit (one id, two verdicts): the second file is refused, naming where the id was first used.
 */
export function duplicateScenarioIds(loaded: readonly LoadedScenario[]): ScenarioLoadError[] {
  const first = new Map<string, LoadedScenario>();
  const problems: ScenarioLoadError[] = [];
  for (const scenario of loaded) {
    const id = scenario.definition.scenario;
    const earlier = first.get(id);
    if (earlier === undefined) {
      first.set(id, scenario);
      continue;
    }
    const at = earlier.idAt === undefined ? '' : `:${earlier.idAt.line}`;
    problems.push(
      new ScenarioLoadError(
        scenario.file,
        scenario.idAt?.line,
        `scenario: "${id}" is already the id of ${earlier.file}${at}; each scenario needs its own id`,
        scenario.idAt?.col,
      ),
    );
  }
  return problems;
}
