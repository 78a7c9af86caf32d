import { z } from 'zod';
import { STEP_ACTIONS } from '../actions/action-registry.js';
import { STATE_CHECKS } from '../checks/check-registry.js';
import type { TemplateStep } from './fleet-procedures.js';

function shapeKeys(schema: unknown): ReadonlySet<string> {
  return schema instanceof z.ZodObject ? new Set(Object.keys(schema.shape)) : new Set();
}

let cache:
  | { actions: Map<string, ReadonlySet<string>>; checks: Map<string, ReadonlySet<string>> }
  | undefined;
function keysOf() {
  cache ??= {
    actions: new Map(STEP_ACTIONS.map((a) => [a.key, shapeKeys(a.schema)])),
    checks: new Map(STATE_CHECKS.map((c) => [c.key, shapeKeys(c.schema)])),
  };
  return cache;
}

function fill(
  value: unknown,
  keys: ReadonlySet<string> | undefined,
  with_: { device: string; as: string },
): unknown {
  if (keys === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (keys.has('device') && out.device === undefined) out.device = with_.device;
  if (keys.has('as') && out.as === undefined) out.as = with_.as;
  return out;
}

/**
 * A fleet template step made concrete for one device: every action or check that takes a
 * `device` (or an `as` party) and leaves it out gets this device (and party). Anything written
 * explicitly in the template is kept.
 */
export function instantiateStep(template: TemplateStep, with_: { device: string; as: string }): TemplateStep {
  const { actions, checks } = keysOf();
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key === 'expect' && value !== null && typeof value === 'object') {
      out.expect = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fill(v, checks.get(k), with_)]),
      );
    } else out[key] = fill(value, actions.get(key), with_);
  }
  return out;
}
