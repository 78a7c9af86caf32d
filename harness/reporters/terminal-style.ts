import { inspect } from 'node:util';

/** What decides how output looks: the environment and whether the stream is a terminal. */
export interface TerminalFacts {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly isTTY: boolean;
}

function set(value: string | undefined): boolean {
  return value !== undefined && value !== '';
}

/**
 * Colour, by the conventions users set once for every tool: FORCE_COLOR (not "0" or "false")
 * turns it on even on a pipe; NO_COLOR (no-color.org) turns it off; otherwise colour on a
 * terminal unless TERM=dumb. FORCE_COLOR wins over NO_COLOR, as in Node itself.
 */
export function wantsColour({ env, isTTY }: TerminalFacts): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (set(env.NO_COLOR)) return false;
  return isTTY && env.TERM !== 'dumb';
}

/**
 * A redrawn progress bar only where someone watches a terminal that can redraw: not on a pipe,
 * not in CI (logs keep every redraw as a line), not on TERM=dumb.
 */
export function wantsProgressBar({ env, isTTY }: TerminalFacts): boolean {
  if (!isTTY || env.TERM === 'dumb') return false;
  const ci = env.CI;
  return !(ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false');
}

export type Paint = (style: 'green' | 'red' | 'yellow' | 'dim' | 'bold', text: string) => string;

export const plain: Paint = (_style, text) => text;
/**
 * ANSI codes from Node's own table. Not util.styleText: it decides again from process.stdout
 * and the environment, and the decision here is already made (for the stream written to).
 */
export const ansi: Paint = (style, text) => {
  const [open, close] = inspect.colors[style] ?? [39, 39];
  return `\u001b[${open}m${text}\u001b[${close}m`;
};

export function paintFor(facts: TerminalFacts): Paint {
  return wantsColour(facts) ? ansi : plain;
}
