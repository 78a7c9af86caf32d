import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TrialsimError } from '../../simulator/errors.js';
import type { TraceEntry } from '../../simulator/trace/index.js';
import { parseApplication } from '../evidence/application-file.js';
import { hashInputs } from '../evidence/bundle-inputs.js';
import { writeEvidenceBundle } from '../evidence/bundle-writer.js';
import { checkEvidenceTarget } from '../evidence/evidence-target.js';
import type { Manifest } from '../evidence/manifest.js';
import type { EvidenceSigningKey } from '../evidence/signing-key.js';
import { type ChainedTraceLine, readTraceFileLines, TRACE_FILE } from '../evidence/trace-chain.js';
import { verifyBundle } from '../evidence/verify-bundle.js';
import { overallVerdict, type RunResults, type Shard, type Verdict } from '../results/result-types.js';
import type { ScenarioTrace } from '../results/scenario-trace.js';

/** One shard's bundle as read for merging. */
interface ShardBundle {
  readonly dir: string;
  readonly results: RunResults;
  readonly manifest: Manifest;
  readonly traces: readonly ScenarioTrace[];
  readonly application?: Buffer;
}

export interface MergeOptions {
  readonly dirs: readonly string[];
  readonly out: string;
  readonly signingKey: (seed: string) => Promise<EvidenceSigningKey> | EvidenceSigningKey;
}

const refuse = (message: string): never => {
  throw new TrialsimError('MERGE_REFUSED', `trialsim merge: ${message}`);
};

/**
 * Combines the evidence bundles of `run --shard i/n` (one per CI runner) into the bundle one
 * unsharded run would have written: every shard's scenarios in suite order (shard 1's, then
 * shard 2's, …: shards are contiguous shares), the trace re-chained across them, one report, one
 * manifest, signed again. Refused, naming why, unless every bundle verifies (integrity) and is a
 * shard of the same run: one seed, one tool version, one n, each of 1..n exactly once, and the
 * same filter, --bail and application. The manifest's inputs are hashed afresh from the working
 * folder, so the merge runs in the same checkout the shards ran in; a scenario file that changed
 * since a shard ran is refused.
 */
export async function mergeShardBundles(options: MergeOptions): Promise<RunResults> {
  if (options.dirs.length === 0) refuse('give the shard evidence folders to merge');
  await checkEvidenceTarget(options.out);
  const shards: ShardBundle[] = [];
  for (const dir of options.dirs) shards.push(await readShard(dir));
  const first = shards[0] as ShardBundle;
  const count = first.results.shard?.count as number;
  for (const s of shards) {
    const shard = s.results.shard as Shard;
    if (s.results.seed !== first.results.seed)
      refuse(`${s.dir} ran with seed "${s.results.seed}", ${first.dir} with "${first.results.seed}"`);
    if (s.results.tool.version !== first.results.tool.version)
      refuse(
        `${s.dir} is from trialsim ${s.results.tool.version}, ${first.dir} from ${first.results.tool.version}`,
      );
    if (shard.count !== count) refuse(`${s.dir} is a shard of ${shard.count}, ${first.dir} of ${count}`);
    const options_ = JSON.stringify(s.manifest.inputs.options);
    if (options_ !== JSON.stringify(first.manifest.inputs.options))
      refuse(
        `${s.dir} ran with options ${options_}, ${first.dir} with ${JSON.stringify(first.manifest.inputs.options)}`,
      );
    if (s.manifest.inputs.application?.sha256 !== first.manifest.inputs.application?.sha256)
      refuse(`${s.dir} and ${first.dir} name different application files`);
  }
  const byIndex = new Map<number, ShardBundle>();
  for (const s of shards) {
    const index = (s.results.shard as Shard).index;
    const twice = byIndex.get(index);
    if (twice !== undefined) refuse(`${twice.dir} and ${s.dir} are both shard ${index}/${count}`);
    byIndex.set(index, s);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0)
    refuse(
      `shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')} missing (given: ${[
        ...byIndex.keys(),
      ]
        .sort((a, b) => a - b)
        .map((i) => `${i}/${count}`)
        .join(', ')})`,
    );
  const ordered = [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, s]) => s);
  const seen = new Map<string, string>();
  for (const s of ordered)
    for (const scenario of s.results.scenarios) {
      const other = seen.get(scenario.id);
      if (other !== undefined) refuse(`scenario ${scenario.id} is in both ${other} and ${s.dir}`);
      seen.set(scenario.id, s.dir);
    }

  const scenarios = ordered.flatMap((s) => s.results.scenarios);
  const summary: Record<Verdict, number> = { passed: 0, failed: 0, error: 0, skipped: 0 };
  for (const r of scenarios) summary[r.verdict]++;
  const startedAt = ordered.map((s) => s.results.timing.startedAt).sort()[0] as string;
  const merged: RunResults = {
    schemaVersion: first.results.schemaVersion,
    tool: first.results.tool,
    seed: first.results.seed,
    mergedFrom: ordered.map((s) => ({ shard: s.results.shard as Shard, runId: s.results.runId as string })),
    verdict: overallVerdict(scenarios.map((r) => r.verdict)),
    summary,
    scenarios,
    // Real clock: the earliest start, and the longest shard (the runners ran side by side).
    timing: { startedAt, realMs: Math.max(...ordered.map((s) => s.results.timing.realMs)) },
  };
  const applicationBytes = first.application;
  const { filter, bail } = first.manifest.inputs.options;
  // The manifest's inputs are hashed from the working folder: they must be what each shard ran.
  const now = await hashInputs(merged, { bail });
  const current = new Map(now.scenarios.map((f) => [f.path, f.sha256]));
  for (const s of ordered)
    for (const f of s.manifest.inputs.scenarios)
      if (current.get(f.path) !== f.sha256)
        refuse(
          `${f.path} is not the file shard ${(s.results.shard as Shard).index}/${count} ran (${s.dir}); merge in the checkout the shards ran in`,
        );
  const written = await writeEvidenceBundle(
    merged,
    ordered.flatMap((s) => s.traces),
    {
      outDir: options.out,
      seed: merged.seed,
      signingKey: await options.signingKey(merged.seed),
      ...(applicationBytes === undefined
        ? {}
        : {
            application: {
              file: join(first.dir, 'application.yaml'),
              bytes: applicationBytes,
              application: parseApplication(
                applicationBytes.toString('utf8'),
                join(first.dir, 'application.yaml'),
              ),
            },
          }),
      ...(filter === undefined ? {} : { filter }),
      bail,
    },
  );
  return written.results;
}

async function readShard(dir: string): Promise<ShardBundle> {
  if (!existsSync(dir)) refuse(`${dir}: not found`);
  const outcome = await verifyBundle(dir);
  if (!outcome.integrity.ok)
    refuse(`${dir} does not verify: ${outcome.integrity.problems.slice(0, 3).join('; ')}`);
  const results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as RunResults;
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  if (results.shard === undefined) refuse(`${dir} is not a shard's bundle (it was not run with --shard i/n)`);
  if (manifest.files.some((f) => f.path === 'conformance.json'))
    refuse(`${dir} holds device-under-test conformance results, which merge does not combine`);
  const application = manifest.files.some((f) => f.path === 'application.yaml')
    ? await readFile(join(dir, 'application.yaml'))
    : undefined;
  return {
    dir,
    results,
    manifest,
    traces: tracesOf(await readTraceFileLines(join(dir, TRACE_FILE)), results),
    ...(application === undefined ? {} : { application }),
  };
}

/** The chained trace back into each scenario's trace, so the merged bundle re-chains it as one. */
function tracesOf(lines: readonly ChainedTraceLine[], results: RunResults): ScenarioTrace[] {
  const byScenario = new Map<string, { entries: TraceEntry[]; names: Record<string, string> }>();
  for (const id of results.scenarios.map((s) => s.id)) byScenario.set(id, { entries: [], names: {} });
  for (const line of lines) {
    const trace = byScenario.get(line.scenario);
    if (trace === undefined) continue;
    trace.entries.push({
      seq: line.seq,
      at: Date.parse(line.at),
      from: line.from,
      to: line.to,
      kind: line.kind,
      summary: line.summary,
      ...(line.detail === undefined ? {} : { detail: line.detail as Record<string, unknown> }),
    });
    trace.names[line.from] = line.fromName;
    trace.names[line.to] = line.toName;
  }
  return [...byScenario.entries()].map(([scenario, t]) => ({ scenario, entries: t.entries, names: t.names }));
}
