import { TrialsimError } from '../../simulator/errors.js';
import type { LoadedScenario } from '../scenario/scenario-loader.js';

/** `--shard i/n`: this runner's share, the i-th of n (1-based). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || count < 1 || index < 1 || index > count)
    throw new TrialsimError(
      'USAGE',
      `--shard ${text}: give i/n with 1 ≤ i ≤ n (e.g. --shard 2/4 runs the second quarter)`,
    );
  return { index, count };
}

/**
 * The shard's scenarios: the suite, in its order, cut into n contiguous runs of nearly equal
 * size (as Playwright shards). It depends only on the files and n, so n runners given the same
 * paths together run every scenario exactly once.
 */
export function shardOf<T>(items: readonly T[], shard: Shard): T[] {
  const start = Math.floor(((shard.index - 1) * items.length) / shard.count);
  const end = Math.floor((shard.index * items.length) / shard.count);
  return items.slice(start, end);
}

export function matchesFilter(scenario: LoadedScenario, filter: string | undefined): boolean {
  if (filter === undefined) return true;
  const d = scenario.definition;
  const needle = filter.toLowerCase();
  return [d.scenario, d.title, ...d.tags].some((text) => text.toLowerCase().includes(needle));
}

export interface SelectionOptions {
  readonly filter?: string;
  readonly shard?: Shard;
  /** A selection of nothing is then a pass, not a usage error. */
  readonly passWithNoScenarios?: boolean;
}

/**
 * What a run runs: the filter, then the shard. An empty selection is an error (exit 2) unless
 * asked for: a CI job whose filter or paths match nothing must not go green with a passing
 * bundle, as `vitest run` and Playwright refuse "no tests found".
 */
export function selectScenarios(
  loaded: readonly LoadedScenario[],
  options: SelectionOptions,
): LoadedScenario[] {
  const filtered = loaded.filter((s) => matchesFilter(s, options.filter));
  const selected = options.shard === undefined ? filtered : shardOf(filtered, options.shard);
  if (selected.length === 0 && options.passWithNoScenarios !== true) {
    const why = [
      `${loaded.length} scenario file${loaded.length === 1 ? '' : 's'} found`,
      ...(options.filter === undefined ? [] : [`${filtered.length} match --filter "${options.filter}"`]),
      ...(options.shard === undefined
        ? []
        : [`shard ${options.shard.index}/${options.shard.count} has none`]),
    ];
    throw new TrialsimError(
      'NO_SCENARIOS',
      `no scenarios selected (${why.join(', ')}); pass --pass-with-no-scenarios if that is expected`,
    );
  }
  return selected;
}
