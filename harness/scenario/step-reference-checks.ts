import { FLEET_PROCEDURES, type TemplateStep } from './fleets/fleet-procedures.js';
import { selectFleetDevices } from './fleets/fleet-selection.js';
import { instantiateStep } from './fleets/fleet-templates.js';
import { checkStepReferences, type ReferenceScope } from './scenario-references.js';
import { stepSchema } from './scenario-schema.js';
import { bestIssue, describeIssue } from './zod-issues.js';

/**
 * Load-time checks of what the schema cannot see: every device, fleet, party and named request a
 * step refers to must exist (named requests: in an earlier step). Fleet steps are checked by
 * making their template steps concrete for the first device selected and validating those.
 */
export function checkSteps(
  steps: readonly Record<string, unknown>[],
  scope: ReferenceScope,
  fail: (path: readonly PropertyKey[], problem: string) => never,
): void {
  for (const [index, step] of steps.entries()) {
    const at: PropertyKey[] = ['steps', index];
    for (const problem of checkStepReferences(step, scope)) {
      const path = [...at, ...problem.path];
      fail(path, `${path.join('.')}: ${problem.problem}`);
    }
    const fleet = step.fleet as
      | { devices: string | string[]; from?: number; to?: number; as?: string; do: string | TemplateStep[] }
      | undefined;
    if (fleet === undefined) continue;
    const selected = selectFleetDevices(fleet, scope.fleets, scope.devices);
    if (!selected.ok) fail([...at, 'fleet', 'devices'], `${at.join('.')}.fleet: ${selected.problem}`);
    const first = selected.ids[0] as string;
    const templates: readonly { template: TemplateStep; path: PropertyKey[] }[] =
      typeof fleet.do === 'string'
        ? FLEET_PROCEDURES[fleet.do as keyof typeof FLEET_PROCEDURES]
            .steps({ chf: undefined })
            .map((template) => ({ template, path: [...at, 'fleet', 'do'] }))
        : fleet.do.map((template, t) => ({ template, path: [...at, 'fleet', 'do', t] }));
    for (const { template, path } of templates) {
      const concrete = instantiateStep(template, { device: first, as: fleet.as ?? 'supplier-a' });
      if ('fleet' in concrete) fail([...path, 'fleet'], 'a fleet step cannot hold another fleet step');
      const result = stepSchema.safeParse(concrete);
      if (!result.success) {
        const issue = bestIssue(result.error.issues);
        fail(
          [...path, ...issue.path],
          `${path.join('.')}: in the fleet step's template: ${describeIssue(issue)}`,
        );
      }
      for (const problem of checkStepReferences(concrete as Record<string, unknown>, scope)) {
        const where = [...path, ...problem.path];
        fail(where, `${where.join('.')}: in the fleet step's template for ${first}: ${problem.problem}`);
      }
    }
  }
}
