import type { z } from 'zod';
import { didYouMeanHint } from './did-you-mean.js';

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

/** The keys an object at a path may have (for did-you-mean), or none where that is not known. */
export type KeysAt = (path: readonly PropertyKey[]) => readonly string[];

/**
 * Every issue as its own problem at its own place: an unknown key each (with the nearest key the
 * object takes), a value outside a set of choices with the nearest choice, a union's best branch.
 */
export function flatIssues(
  issues: readonly z.core.$ZodIssue[],
  value: unknown,
  keysAt: KeysAt = () => [],
): FlatIssue[] {
  const out: FlatIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = keysAt(issue.path);
      for (const key of issue.keys)
        out.push({
          path: [...issue.path, key],
          message: `unknown key "${key}"${didYouMeanHint(key, known)}`,
        });
      continue;
    }
    if (issue.code === 'invalid_value') {
      const given = valueAt(value, issue.path);
      const choices = issue.values.map(String);
      const hint = typeof given === 'string' ? didYouMeanHint(given, choices) : '';
      out.push({ path: issue.path, message: `${issue.message}${hint}` });
      continue;
    }
    if (issue.code === 'invalid_union') {
      const best = bestIssue([issue]);
      const unknownKey = /^unknown keys? "([^"]+)"/.exec(best.message)?.[1];
      if (unknownKey !== undefined) {
        const holder = best.path.slice(0, -1);
        out.push({
          path: best.path,
          message: `unknown key "${unknownKey}"${didYouMeanHint(unknownKey, keysAt(holder))}`,
        });
      } else out.push(best);
      continue;
    }
    out.push({ path: issue.path, message: issue.message });
  }
  return out;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/**
 * KeysAt from a JSON Schema (zod's, generated from the same schema): the property names of every
 * object schema the path can reach, through items, anyOf/oneOf/allOf and local $refs.
 */
export function keysFromJsonSchema(root: Record<string, unknown>): KeysAt {
  const resolveRef = (node: Record<string, unknown>): Record<string, unknown> => {
    const ref = node.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#/')) return node;
    let target: unknown = root;
    for (const part of ref.slice(2).split('/')) target = (target as Record<string, unknown>)?.[part];
    return (target as Record<string, unknown>) ?? node;
  };
  const expand = (node: Record<string, unknown>, depth = 0): Record<string, unknown>[] => {
    const resolved = resolveRef(node);
    if (depth > 8) return [resolved];
    const branches = ['anyOf', 'oneOf', 'allOf'].flatMap(
      (k) => (resolved[k] as Record<string, unknown>[] | undefined) ?? [],
    );
    return [resolved, ...branches.flatMap((b) => expand(b, depth + 1))];
  };
  return (path) => {
    let nodes = expand(root);
    for (const key of path) {
      const next: Record<string, unknown>[] = [];
      for (const node of nodes) {
        const props = node.properties as Record<string, Record<string, unknown>> | undefined;
        if (typeof key === 'string' && props?.[key] !== undefined) next.push(...expand(props[key]));
        const items = node.items as Record<string, unknown> | undefined;
        if (typeof key === 'number' && items !== undefined) next.push(...expand(items));
        const extra = node.additionalProperties as Record<string, unknown> | boolean | undefined;
        if (typeof key === 'string' && typeof extra === 'object') next.push(...expand(extra));
      }
      nodes = next;
    }
    return [...new Set(nodes.flatMap((n) => Object.keys((n.properties as object | undefined) ?? {})))];
  };
}

export function describeIssue(issue: FlatIssue): string {
  return `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
}
