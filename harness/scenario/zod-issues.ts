import type { z } from 'zod';

export interface FlatIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * zod reports a union that matched no branch as one "Invalid input" holding every branch's
 * issues; the branch that got furthest (deepest path) is almost always the one the author meant,
 * so report its issue instead.
 */
export function bestIssue(issues: readonly z.core.$ZodIssue[], base: readonly PropertyKey[] = []): FlatIssue {
  let best: FlatIssue = { path: base, message: 'invalid' };
  for (const issue of issues) {
    let candidate: FlatIssue = { path: [...base, ...issue.path], message: issue.message };
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      for (const branch of issue.errors) {
        const inner = bestIssue(branch, candidate.path);
        if (inner.path.length > candidate.path.length) candidate = inner;
      }
    } else if (issue.code === 'unrecognized_keys') {
      candidate = {
        path: [...candidate.path, issue.keys[0] as string],
        message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`,
      };
    }
    if (best.message === 'invalid' || candidate.path.length > best.path.length) best = candidate;
  }
  return best;
}

export function describeIssue(issue: FlatIssue): string {
  return `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
}
