import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { isMap, LineCounter, type Node, parseDocument } from 'yaml';
import { z } from 'zod';
import { TrialsimError } from '../../simulator/errors.js';
import { didYouMeanHint } from '../scenario/did-you-mean.js';

export const CONFIG_FILE_NAME = 'trialsim.config.json';

/**
 * A user project's trialsim.config.json: defaults for `run` (and the scenario paths `list` and
 * `validate` take when none are given). Paths in it are relative to the file itself, so the
 * project runs the same from any folder inside it. A flag on the command line wins over the file.
 */
export const configSchema = z
  .object({
    $schema: z
      .string()
      .optional()
      .describe('the JSON Schema editors check this file with (ignored by trialsim)'),
    scenarios: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('scenario files, folders or globs run when none are given (default: the built-in suite)'),
    seed: z
      .string()
      .min(1)
      .optional()
      .describe('--seed (default: a public seed; set your own before sharing evidence)'),
    broker: z
      .string()
      .regex(/^mqtts?:\/\/[^/]+/, 'an MQTT broker URL, mqtt://host:port or mqtts://host:port')
      .optional()
      .describe('--broker: an external MQTT broker (default: aedes embedded on loopback)'),
    out: z.string().min(1).optional().describe('--out: the evidence folder (default: evidence)'),
    junit: z.string().min(1).optional().describe('--junit: also write JUnit XML here'),
    application: z.string().min(1).optional().describe('--application: the trial application file'),
    signingKey: z
      .string()
      .min(1)
      .optional()
      .describe("--signing-key: the manufacturer's evidence key, P-256 PEM (default: the test PKI's)"),
    parallel: z.number().int().min(1).max(64).optional().describe('--parallel: worker processes (default 1)'),
    bail: z.boolean().optional().describe('--bail (default false)'),
    passWithNoScenarios: z.boolean().optional().describe('--pass-with-no-scenarios (default false)'),
    usersOver: z
      .enum(['mqtt', 'duis'])
      .optional()
      .describe('--users-over (default: mqtt, or as each scenario says)'),
    reporter: z.enum(['console', 'github']).optional().describe('--reporter (default console)'),
  })
  .strict();

export const CONFIG_KEYS: readonly string[] = Object.keys(configSchema.shape);
/** Keys whose value is a path, resolved against the config file's folder. */
const PATH_KEYS = ['out', 'junit', 'application', 'signingKey'] as const;

export type ProjectConfigValues = Omit<z.infer<typeof configSchema>, '$schema'>;

export interface ProjectConfig {
  /** Absolute path of the file. */
  readonly file: string;
  readonly values: ProjectConfigValues;
}

export class ProjectConfigError extends TrialsimError {
  constructor(file: string, at: { line: number; col: number } | undefined, problem: string) {
    super('CONFIG_INVALID', `${file}${at === undefined ? '' : `:${at.line}:${at.col}`}: ${problem}`);
  }
}

/** The nearest trialsim.config.json in `from` or a folder above it. */
export function findProjectConfig(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The project config for a command: the file given with --config (which must exist), otherwise
 * the nearest one from the working folder up, otherwise none.
 */
export async function projectConfigFor(
  given: string | undefined,
  cwd: string = process.cwd(),
): Promise<ProjectConfig | undefined> {
  if (given !== undefined) {
    const file = resolve(cwd, given);
    if (!existsSync(file)) throw new ProjectConfigError(given, undefined, 'config file not found');
    return loadProjectConfig(file);
  }
  const found = findProjectConfig(cwd);
  return found === undefined ? undefined : loadProjectConfig(found);
}

export async function loadProjectConfig(file: string): Promise<ProjectConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ProjectConfigError(file, undefined, `cannot read (${(err as NodeJS.ErrnoException).code})`);
  }
  // JSON is YAML 1.2: the yaml parser gives each key's position for the error message.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const first = doc.errors[0];
  if (first !== undefined)
    throw new ProjectConfigError(
      file,
      lineCounter.linePos(first.pos[0]),
      `not valid JSON: ${first.message.split('\n')[0]}`,
    );
  const at = (key: PropertyKey | undefined): { line: number; col: number } | undefined => {
    const root = doc.contents;
    if (!isMap(root)) return position(root as Node | null, lineCounter);
    if (key === undefined) return position(root, lineCounter);
    const pair = root.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
    return position((pair?.key ?? root) as Node, lineCounter);
  };
  const value: unknown = doc.toJS();
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ProjectConfigError(file, at(undefined), 'must be a JSON object of settings');
  for (const key of Object.keys(value)) {
    if (!CONFIG_KEYS.includes(key))
      throw new ProjectConfigError(
        file,
        at(key),
        `unknown key "${key}"${didYouMeanHint(key, CONFIG_KEYS)}; the keys are ${CONFIG_KEYS.filter((k) => k !== '$schema').join(', ')}`,
      );
  }
  const parsed = configSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const key = issue.path[0];
    throw new ProjectConfigError(file, at(key), `${issue.path.join('.')}: ${issue.message}`);
  }
  const { $schema: _, ...values } = parsed.data;
  const base = dirname(file);
  const resolved: Record<string, unknown> = { ...values };
  for (const key of PATH_KEYS) if (values[key] !== undefined) resolved[key] = resolve(base, values[key]);
  if (values.scenarios !== undefined) resolved.scenarios = values.scenarios.map((p) => resolve(base, p));
  return { file, values: resolved as ProjectConfigValues };
}

function position(
  node: Node | null | undefined,
  counter: LineCounter,
): { line: number; col: number } | undefined {
  const start = node?.range?.[0];
  return start === undefined ? undefined : counter.linePos(start);
}
