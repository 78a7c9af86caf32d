import { xmlEscape } from '../reporters/junit-reporter.js';

/**
 * Any value as text safe inside HTML/SVG content and attribute values (both quote kinds
 * escaped, control characters XML cannot carry dropped): the JUnit writer's escaping, one rule.
 */
export function escapeXml(value: unknown): string {
  return xmlEscape(String(value));
}
