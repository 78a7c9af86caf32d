import type { Command } from 'commander';
import { type ProjectConfig, type ProjectConfigValues, projectConfigFor } from '../project/project-config.js';

/** The option every command that reads the project config offers. */
export const CONFIG_OPTION = [
  '--config <file>',
  'project config (default: the nearest trialsim.config.json from this folder up); command-line flags win over it',
] as const;

/**
 * The command's options with the project config's values where the user gave no flag: a value
 * commander filled from the option's default (or left unset) gives way to the file, a flag does
 * not. `scenarios` in the file stands in for paths when none are given.
 */
export async function withProjectDefaults<T extends object>(
  command: Command,
  paths: readonly string[],
  opts: T & { config?: string },
): Promise<{ paths: string[]; opts: T; config: ProjectConfig | undefined }> {
  const config = await projectConfigFor(opts.config);
  if (config === undefined) return { paths: [...paths], opts, config };
  const merged: Record<string, unknown> = { ...opts };
  for (const [key, value] of Object.entries(config.values) as [keyof ProjectConfigValues, unknown][]) {
    if (key === 'scenarios' || value === undefined) continue;
    if (!command.options.some((o) => o.attributeName() === key)) continue;
    if (command.getOptionValueSource(key) === 'cli') continue;
    merged[key] = value;
  }
  return {
    paths: paths.length > 0 ? [...paths] : [...(config.values.scenarios ?? [])],
    opts: merged as T,
    config,
  };
}
