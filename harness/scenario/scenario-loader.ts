import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { CplEntry } from '../../simulator/domain/cpl/cpl-entry.js';
import { parseEui } from '../../simulator/domain/eui.js';
import { FIXTURES_DIR } from '../package-root.js';
import type { DeviceSpec } from '../stack/device-spec.js';
import { partyByName } from '../stack/parties.js';
import { ScenarioLoadError } from './scenario-error.js';
import { type DeviceModel, deviceModelSchema, type ScenarioFile, scenarioSchema } from './scenario-schema.js';
import { cplEntrySchema } from './schema-parts.js';

/** A scenario ready to run: the file as written, plus its fixtures resolved. */
export interface LoadedScenario {
  readonly file: string;
  readonly definition: ScenarioFile;
  readonly devices: readonly DeviceSpec[];
  readonly cpl: readonly CplEntry[];
  readonly start: number;
  /** Every fixture file read, for the evidence manifest. */
  readonly fixtures: readonly string[];
}

interface ParsedYaml {
  readonly value: unknown;
  lineOf(path: readonly PropertyKey[]): number | undefined;
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
    throw new ScenarioLoadError(
      file,
      first.linePos?.[0]?.line,
      `not valid YAML: ${first.message.split('\n')[0]}`,
    );
  }
  return {
    value: doc.toJS(),
    lineOf(path) {
      // Walk down as far as the path exists; report the deepest node's line.
      let node: unknown = doc.contents;
      let line: number | undefined = lineFor(node as Node, lineCounter);
      for (const key of path) {
        if (isMap(node)) node = node.get(key as string, true);
        else if (isSeq(node)) node = node.get(key as number, true);
        else break;
        if (node === undefined) break;
        line = lineFor(node as Node, lineCounter) ?? line;
      }
      return line;
    },
  };
}

function lineFor(node: Node | undefined, counter: LineCounter): number | undefined {
  const start = node?.range?.[0];
  return start === undefined ? undefined : counter.linePos(start).line;
}

function validate<T>(schema: z.ZodType<T>, parsed: ParsedYaml, file: string): T {
  const result = schema.safeParse(parsed.value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  const where = path.length > 0 ? `${path.join('.')}: ` : '';
  throw new ScenarioLoadError(file, parsed.lineOf(path), `${where}${issue?.message ?? 'invalid'}`);
}

function fixturePath(name: string, folder: string): string {
  if (isAbsolute(name)) return name;
  if (name.includes('/')) return join(FIXTURES_DIR, name);
  return join(FIXTURES_DIR, folder, name.endsWith('.yaml') ? name : `${name}.yaml`);
}

export async function loadDeviceModel(name: string): Promise<{ model: DeviceModel; path: string }> {
  const path = fixturePath(name, 'device-models');
  const parsed = await readYaml(path);
  return { model: validate(deviceModelSchema, parsed, path), path };
}

export async function loadScenario(file: string): Promise<LoadedScenario> {
  const parsed = await readYaml(file);
  const definition = validate(scenarioSchema, parsed, file);
  const fixtures = new Set<string>();
  const fail = (path: PropertyKey[], problem: string): never => {
    throw new ScenarioLoadError(file, parsed.lineOf(path), problem);
  };

  const cpl: CplEntry[] = [];
  for (const [index, item] of definition.cpl.entries()) {
    if ('fixture' in item) {
      const path = fixturePath(item.fixture, 'cpl');
      fixtures.add(path);
      const entries = validate(cplEntrySchema.array(), await readYaml(path), path);
      for (const entry of entries) cpl.push({ ...entry, imageHash: entry.imageHash });
    } else {
      if (index < 0) fail(['cpl', index], 'unreachable');
      cpl.push({ ...item, imageHash: item.imageHash });
    }
  }

  const devices: DeviceSpec[] = [];
  const ids = new Set(definition.devices.map((d) => d.id));
  for (const [index, device] of definition.devices.entries()) {
    let loaded: { model: DeviceModel; path: string };
    try {
      loaded = await loadDeviceModel(device.model);
    } catch (err) {
      return fail(['devices', index, 'model'], `device ${device.id}: ${(err as Error).message}`);
    }
    fixtures.add(loaded.path);
    for (const party of [device.supplier, device.networkOperator]) {
      try {
        partyByName(party);
      } catch (err) {
        fail(['devices', index], (err as Error).message);
      }
    }
    if (device.chf !== undefined && !ids.has(device.chf)) {
      fail(['devices', index, 'chf'], `device ${device.id}: no device "${device.chf}" in this scenario`);
    }
    devices.push({
      id: device.id,
      eui: parseEui(device.eui),
      ...loaded.model,
      firmwareVersion: device.firmwareVersion ?? loaded.model.firmwareVersion,
      supplier: device.supplier,
      networkOperator: device.networkOperator,
      chf: device.chf,
      preinstalled: device.preinstalled,
    });
  }

  for (const [index, trial] of definition.trials.entries()) {
    try {
      partyByName(trial.sponsor);
    } catch (err) {
      fail(['trials', index, 'sponsor'], (err as Error).message);
    }
  }
  const deviceIds = new Set(devices.map((d) => d.id));
  for (const [index, step] of definition.steps.entries()) {
    const target = (step as { send?: { device?: string } }).send?.device;
    if (target !== undefined && !deviceIds.has(target)) {
      fail(
        ['steps', index, 'send', 'device'],
        `no device "${target}" in this scenario (devices: ${[...deviceIds].join(', ')})`,
      );
    }
  }

  return {
    file: relative(process.cwd(), file) || file,
    definition,
    devices,
    cpl,
    start: Date.parse(definition.start),
    fixtures: [...fixtures],
  };
}
