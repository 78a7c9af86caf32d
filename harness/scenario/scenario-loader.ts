import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { toJSONSchema, type z } from 'zod';
import { type CplEntry, parseEui } from '../../simulator/domain/index.js';
import { TrialsimError } from '../../simulator/errors.js';
import { FIXTURES_DIR } from '../package-root.js';
import type { DeviceSpec } from '../stack/device-spec.js';
import { partyByName, USER_PARTIES } from '../stack/parties.js';
import { firmwareFixtureReferences } from './firmware-fixture-references.js';
import { type FixtureLookup, resolveFixture } from './fixture-paths.js';
import { expandFleet, type FleetMember } from './fleets/fleet-expansion.js';
import { ScenarioLoadError } from './scenario-error.js';
import { type DeviceModel, deviceModelSchema, type ScenarioFile, scenarioSchema } from './scenario-schema.js';
import { cplEntrySchema } from './schema-parts.js';
import { checkSteps } from './step-reference-checks.js';
import { checkTrialReferences } from './trial-setup.js';
import { describeIssue, flatIssues, type KeysAt, keysFromJsonSchema } from './zod-issues.js';

/** A scenario ready to run: the file as written, plus its fixtures resolved. */
export interface LoadedScenario {
  readonly file: string;
  readonly definition: ScenarioFile;
  readonly devices: readonly DeviceSpec[];
  readonly cpl: readonly CplEntry[];
  readonly start: number;
  /** Every fixture file read, for the evidence manifest. */
  readonly fixtures: readonly string[];
  /** Each fleet's device ids, in order. */
  readonly fleets: ReadonlyMap<string, readonly string[]>;
  /** The 1-based line of each step in the file, for reports that point at a failing step. */
  readonly stepLines: readonly (number | undefined)[];
  /** Where the file gives its `scenario:` id (for an error about a duplicate id). */
  readonly idAt?: Position;
}

interface ParsedYaml {
  readonly value: unknown;
  lineOf(path: readonly PropertyKey[]): number | undefined;
  /** Where the path is written: for a key of a map, the key itself; as far down as it exists. */
  positionOf(path: readonly PropertyKey[]): Position | undefined;
}

export interface Position {
  readonly line: number;
  readonly col: number;
}

async function readYaml(file: string): Promise<ParsedYaml> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ScenarioLoadError(
      file,
      undefined,
      code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? String(err)})`,
    );
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const first = doc.errors[0];
  if (first !== undefined) {
    const at = first.linePos?.[0] ?? lineCounter.linePos(first.pos[0]);
    throw new ScenarioLoadError(file, at.line, `not valid YAML: ${first.message.split('\n')[0]}`, at.col);
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (err) {
    // Parses, but cannot become data: an alias to no anchor (`*x`), or more aliases than the
    // yaml library allows (its guard against "billion laughs"). Found by fuzzing (test/unit/harness/scenario/fuzz-parsers.test.ts).
    throw new ScenarioLoadError(file, undefined, `not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const positionOf = (path: readonly PropertyKey[]): Position | undefined => {
    // Walk down as far as the path exists; report the deepest node's position.
    let node: unknown = doc.contents;
    let at = positionFor(node as Node, lineCounter);
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => String((p.key as { value?: unknown } | null)?.value) === String(key),
        );
        if (pair === undefined) break;
        at = positionFor(pair.key as Node, lineCounter) ?? at;
        node = pair.value;
        continue;
      }
      if (isSeq(node)) node = node.get(key as number, true);
      else break;
      if (node === undefined) break;
      at = positionFor(node as Node, lineCounter) ?? at;
    }
    return at;
  };
  return {
    value,
    positionOf,
    lineOf(path) {
      let node: unknown = doc.contents;
      let line: number | undefined = positionFor(node as Node, lineCounter)?.line;
      for (const key of path) {
        if (isMap(node)) node = node.get(key as string, true);
        else if (isSeq(node)) node = node.get(key as number, true);
        else break;
        if (node === undefined) break;
        line = positionFor(node as Node, lineCounter)?.line ?? line;
      }
      return line;
    },
  };
}

function positionFor(node: Node | undefined, counter: LineCounter): Position | undefined {
  const start = node?.range?.[0];
  return start === undefined ? undefined : counter.linePos(start);
}

const keysCache = new WeakMap<z.ZodType, KeysAt>();

/** What keys each object of a schema takes, from the JSON Schema zod generates for it. */
function keysOf(schema: z.ZodType): KeysAt {
  let keys = keysCache.get(schema);
  if (keys === undefined) {
    keys = keysFromJsonSchema(
      toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    );
    keysCache.set(schema, keys);
  }
  return keys;
}

function validate<T>(schema: z.ZodType<T>, parsed: ParsedYaml, file: string): T {
  const result = schema.safeParse(parsed.value);
  if (result.success) return result.data;
  const problems = schemaProblems(schema, result.error.issues, parsed, file);
  throw problems[0] as ScenarioLoadError;
}

/** Every issue of a schema, one per place, sorted by where it is in the file. */
function schemaProblems(
  schema: z.ZodType,
  issues: readonly z.core.$ZodIssue[],
  parsed: ParsedYaml,
  file: string,
): ScenarioLoadError[] {
  const problems = flatIssues(issues, parsed.value, keysOf(schema)).map((issue) => {
    const at = parsed.positionOf(issue.path);
    return new ScenarioLoadError(file, at?.line, describeIssue(issue), at?.col);
  });
  const seen = new Set<string>();
  return problems
    .filter((p) => !seen.has(p.message) && seen.add(p.message) !== undefined)
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
}

/** Reads a file the scenario names; one that is missing is named with every place looked. */
async function readFixtureYaml(lookup: FixtureLookup, what: string): Promise<ParsedYaml> {
  if (!existsSync(lookup.path))
    throw new TrialsimError(
      'SCENARIO_INVALID',
      `${what}: file not found (looked for ${lookup.looked.join(' and ')}; a path is relative to the scenario file)`,
    );
  return readYaml(lookup.path);
}

/**
 * A device model named by a scenario: a path relative to the scenario file `namedIn`, or the
 * name of one of trialsim's own (fixtures/device-models/).
 */
export async function loadDeviceModel(
  name: string,
  namedIn: string = join(FIXTURES_DIR, 'scenario.yaml'),
): Promise<{ model: DeviceModel; path: string }> {
  const lookup = resolveFixture(name, namedIn, 'device-models');
  const parsed = await readFixtureYaml(lookup, `device model "${name}"`);
  return { model: validate(deviceModelSchema, parsed, lookup.path), path: lookup.path };
}

/**
 * Everything wrong with a scenario file, for `trialsim validate`: every schema error, sorted by
 * line and column; when the schema holds, the first problem of its references (devices, parties,
 * fixtures, trials), which later checks build on. No problems: the loaded scenario.
 */
export async function checkScenarioFile(
  file: string,
): Promise<{ problems: ScenarioLoadError[]; loaded?: LoadedScenario }> {
  let parsed: ParsedYaml;
  try {
    parsed = await readYaml(file);
  } catch (err) {
    if (err instanceof ScenarioLoadError) return { problems: [err] };
    throw err;
  }
  const result = scenarioSchema.safeParse(parsed.value);
  if (!result.success) return { problems: schemaProblems(scenarioSchema, result.error.issues, parsed, file) };
  try {
    return { problems: [], loaded: await loadScenario(file) };
  } catch (err) {
    if (err instanceof ScenarioLoadError) return { problems: [err] };
    throw err;
  }
}

export async function loadScenario(file: string): Promise<LoadedScenario> {
  const parsed = await readYaml(file);
  const definition = validate(scenarioSchema, parsed, file);
  const fixtures = new Set<string>();
  const fail = (path: readonly PropertyKey[], problem: string): never => {
    const at = parsed.positionOf(path);
    throw new ScenarioLoadError(file, at?.line, problem, at?.col);
  };

  const cpl: CplEntry[] = [];
  for (const item of definition.cpl) {
    if ('fixture' in item) {
      const lookup = resolveFixture(item.fixture, file, 'cpl');
      const path = lookup.path;
      fixtures.add(path);
      let parsedCpl: ParsedYaml;
      try {
        parsedCpl = await readFixtureYaml(lookup, `CPL file "${item.fixture}"`);
      } catch (err) {
        return fail(['cpl', definition.cpl.indexOf(item), 'fixture'], (err as Error).message);
      }
      const entries = validate(cplEntrySchema.array(), parsedCpl, path);
      for (const entry of entries) cpl.push({ ...entry, imageHash: entry.imageHash });
    } else {
      cpl.push({ ...item, imageHash: item.imageHash });
    }
  }

  for (const name of Object.keys(definition.parties)) {
    if (!USER_PARTIES.some((p) => p.name === name))
      fail(
        ['parties', name],
        `"${name}" is not a DCC User (parties: ${USER_PARTIES.map((p) => p.name).join(', ')})`,
      );
  }
  if (definition.devices.length === 0 && definition.fleets.length === 0) {
    fail(['devices'], 'a scenario needs at least one device (under devices: or fleets:)');
  }
  // Every device the scenario simulates, with where it was declared (for error lines).
  const members: { member: FleetMember; at: PropertyKey[] }[] = [];
  for (const [index, device] of definition.devices.entries()) {
    members.push({
      member: {
        id: device.id,
        eui: parseEui(device.eui),
        model: device.model,
        supplier: device.supplier,
        networkOperator: device.networkOperator,
        firmwareVersion: device.firmwareVersion,
        preinstalled: device.preinstalled,
        chf: device.chf,
      },
      at: ['devices', index],
    });
  }
  const fleets = new Map<string, string[]>();
  for (const [index, fleet] of definition.fleets.entries()) {
    if (fleets.has(fleet.id)) fail(['fleets', index, 'id'], `fleet id "${fleet.id}" is used twice`);
    let expanded: ReturnType<typeof expandFleet>;
    try {
      expanded = expandFleet(fleet);
    } catch (err) {
      return fail(['fleets', index, 'firstEui'], (err as Error).message);
    }
    for (const member of [...expanded.hubs, ...expanded.meters])
      members.push({ member, at: ['fleets', index] });
    fleets.set(
      fleet.id,
      expanded.meters.map((m) => m.id),
    );
  }

  const ids = new Set<string>();
  const euis = new Map<string, string>();
  for (const { member, at } of members) {
    if (ids.has(member.id)) fail([...at, 'id'], `device id "${member.id}" is used twice`);
    if (fleets.has(member.id)) fail([...at, 'id'], `"${member.id}" is both a device id and a fleet id`);
    const clash = euis.get(member.eui);
    if (clash !== undefined) fail(at, `device ${member.id} has the EUI ${member.eui} of ${clash}`);
    ids.add(member.id);
    euis.set(member.eui, member.id);
  }

  const models = new Map<string, { model: DeviceModel; path: string }>();
  const devices: DeviceSpec[] = [];
  for (const { member, at } of members) {
    let loaded = models.get(member.model);
    if (loaded === undefined) {
      try {
        loaded = await loadDeviceModel(member.model, file);
      } catch (err) {
        return fail([...at, 'model'], `device ${member.id}: ${(err as Error).message}`);
      }
      models.set(member.model, loaded);
    }
    fixtures.add(loaded.path);
    for (const [key, party] of [
      ['supplier', member.supplier],
      ['networkOperator', member.networkOperator],
    ] as const) {
      try {
        partyByName(party);
      } catch (err) {
        fail([...at, key], (err as Error).message);
      }
    }
    if (member.chf !== undefined && !ids.has(member.chf)) {
      fail([...at, 'chf'], `device ${member.id}: no device "${member.chf}" in this scenario`);
    }
    devices.push({
      id: member.id,
      eui: member.eui,
      ...loaded.model,
      firmwareVersion: member.firmwareVersion ?? loaded.model.firmwareVersion,
      supplier: member.supplier,
      networkOperator: member.networkOperator,
      chf: member.chf,
      preinstalled: member.preinstalled,
    });
  }

  for (const [index, trial] of definition.trials.entries()) {
    try {
      partyByName(trial.sponsor);
    } catch (err) {
      fail(['trials', index, 'sponsor'], (err as Error).message);
    }
  }

  checkSteps(
    definition.steps as Record<string, unknown>[],
    { devices: ids, fleets, requests: new Set() },
    fail,
  );
  checkTrialReferences(definition, devices, cpl, fail);
  for (const path of firmwareFixtureReferences(definition.steps as Record<string, unknown>[], file, fail)) {
    fixtures.add(path);
  }

  const idAt = parsed.positionOf(['scenario']);
  return {
    file: relative(process.cwd(), file) || file,
    definition,
    devices,
    cpl,
    start: Date.parse(definition.start),
    fixtures: [...fixtures],
    fleets,
    stepLines: definition.steps.map((_, i) => parsed.lineOf(['steps', i])),
    ...(idAt === undefined ? {} : { idAt }),
  };
}
