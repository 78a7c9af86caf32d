import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { PACKAGE_ROOT } from '../../harness/package-root.js';

/** The CLI as a user runs it: a separate node process on the TypeScript entry point (through tsx). */
export const CLI_ARGS = ['--import', 'tsx', 'harness/cli/trialsim.ts'];

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function trialsim(args: readonly string[], timeoutMs = 240_000): CliRun {
  const result = spawnSync(process.execPath, [...CLI_ARGS, ...args], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function trialsimAsync(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [...CLI_ARGS, ...args], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, NO_COLOR: '1' },
  });
}

/**
 * A small XML well-formedness check (no XML library in the project): every tag closes in order,
 * attribute values are quoted, and text holds no raw `<` or stray `&`.
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  if (!xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')) problems.push('no XML declaration');
  const body = xml.replace(/^<\?xml[^>]*\?>/, '');
  const stack: string[] = [];
  const token =
    /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|<!\[CDATA\[[\s\S]*?\]\]>|([^<]+)|(<)/g;
  for (let m = token.exec(body); m !== null; m = token.exec(body)) {
    const [, closing, name, , selfClosing, text, stray] = m;
    if (stray !== undefined) {
      problems.push(`malformed tag at ${m.index}: ${body.slice(m.index, m.index + 40)}`);
      break;
    }
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text))
        problems.push(`stray & in text at ${m.index}`);
      continue;
    }
    if (name === undefined) continue;
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open}>`);
    } else if (!selfClosing) stack.push(name);
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(', ')}`);
  return problems;
}
