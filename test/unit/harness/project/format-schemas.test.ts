import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseApplication } from '../../../../harness/evidence/application-file.js';
import { PACKAGE_ROOT } from '../../../../harness/package-root.js';
import {
  FILE_FORMATS,
  type FormatKind,
  fileFormat,
  formatJsonSchemaText,
} from '../../../../harness/project/file-formats.js';
import { loadProjectConfig } from '../../../../harness/project/project-config.js';
import { SCAFFOLD_FILES } from '../../../../harness/project/scaffold-files.js';
import { parseFirmwareRelease } from '../../../../harness/scenario/firmware-fixtures.js';
import { checkScenarioFile, loadDeviceModel } from '../../../../harness/scenario/scenario-loader.js';

/** The files of trialsim's own of each format, in the folder that holds them. */
const FIXTURE_FOLDERS: Partial<Record<FormatKind, string>> = {
  scenario: 'scenarios',
  'device-model': 'fixtures/device-models',
  cpl: 'fixtures/cpl',
  firmware: 'fixtures/firmware',
  application: 'fixtures/application',
};

function yamlFiles(folder: string): string[] {
  return readdirSync(join(PACKAGE_ROOT, folder))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(PACKAGE_ROOT, folder, f));
}

const validators = new Map<FormatKind, ValidateFunction>();
/** A strict JSON Schema 2020-12 validator: it refuses any keyword that is not standard. */
function validatorFor(kind: FormatKind): ValidateFunction {
  let check = validators.get(kind);
  if (check === undefined) {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
    // ajv-formats is CommonJS: its plugin is the module's default export.
    (formats as unknown as { default: (ajv: Ajv2020) => void }).default(ajv);
    check = ajv.compile(JSON.parse(readFileSync(join(PACKAGE_ROOT, fileFormat(kind).schemaFile), 'utf8')));
    validators.set(kind, check);
  }
  return check;
}

/** What `$schema=` (YAML comment) or `"$schema"` (JSON) in a file points at. */
function schemaPointer(text: string, kind: FormatKind): string | undefined {
  if (kind === 'config') return (JSON.parse(text) as { $schema?: string }).$schema;
  return /^# yaml-language-server: \$schema=(\S+)\n/.exec(text)?.[1];
}

describe('the committed JSON Schemas of the project file formats', () => {
  for (const format of FILE_FORMATS) {
    it(`${format.schemaFile} is what \`trialsim schema ${format.kind}\` generates from ${format.source} (regenerate: npm run schemas)`, () => {
      const committed = readFileSync(join(PACKAGE_ROOT, format.schemaFile), 'utf8');
      expect(
        committed === formatJsonSchemaText(format),
        `stale ${format.schemaFile}: run npm run schemas`,
      ).toBe(true);
    });

    it(`${format.kind}: a strict validator compiles it (standard keywords only)`, () => {
      expect(() => validatorFor(format.kind)).not.toThrow();
    });
  }

  for (const [kind, folder] of Object.entries(FIXTURE_FOLDERS) as [FormatKind, string][]) {
    it(`every ${folder}/*.yaml validates against the ${kind} schema and points editors at it`, () => {
      const files = yamlFiles(folder);
      expect(files.length).toBeGreaterThan(0);
      const check = validatorFor(kind);
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        expect(check(parse(text)), `${file}: ${JSON.stringify(check.errors?.slice(0, 2))}`).toBe(true);
        const pointer = schemaPointer(text, kind);
        expect(pointer, `${file}: no # yaml-language-server: $schema= first line`).toBeDefined();
        expect(resolve(file, '..', pointer ?? ''), file).toBe(
          join(PACKAGE_ROOT, fileFormat(kind).schemaFile),
        );
      }
    });
  }
});

/** docs/formats.md's section of each format, by its heading. */
const DOC_SECTIONS: Record<FormatKind, string> = {
  scenario: 'scenario',
  'device-model': 'device model',
  cpl: 'CPL',
  firmware: 'firmware release',
  application: 'application',
  config: 'config',
};

function docSection(kind: FormatKind): string {
  const doc = readFileSync(join(PACKAGE_ROOT, 'docs', 'formats.md'), 'utf8');
  const start = doc.indexOf(`\n## ${DOC_SECTIONS[kind]}\n`);
  expect(start, `docs/formats.md has no "## ${DOC_SECTIONS[kind]}"`).toBeGreaterThan(0);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end === -1 ? undefined : end);
}

/** Every property name of a schema: the top level's, and (but for scenarios) those nested in objects. */
function propertyNames(node: Record<string, unknown>, deep: boolean, top = true): string[] {
  const items = node.items as Record<string, unknown> | undefined;
  if (items !== undefined && top) return propertyNames(items, deep, top);
  const properties = (node.properties ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(properties).flatMap(([key, child]) => [
    key,
    ...(deep && child.type === 'object' ? propertyNames(child, deep, false) : []),
  ]);
}

describe('docs/formats.md documents every format', () => {
  for (const format of FILE_FORMATS) {
    it(`${format.kind}: every field is in its section, and its example validates against the schema`, () => {
      const section = docSection(format.kind);
      const schema = JSON.parse(formatJsonSchemaText(format)) as Record<string, unknown>;
      const names = propertyNames(schema, format.kind !== 'scenario');
      expect(names.length).toBeGreaterThan(3);
      for (const name of names)
        expect(section, `${format.kind}: field "${name}" undocumented`).toMatch(
          new RegExp(`(^|[^\\w$])${name.replace('$', '\\$')}(?!\\w)`),
        );
      const example = /```(yaml|json)\n([\s\S]*?)```/.exec(section);
      expect(example, `${format.kind}: no example`).not.toBeNull();
      const check = validatorFor(format.kind);
      const value = example?.[1] === 'json' ? JSON.parse(example[2] ?? '') : parse(example?.[2] ?? '');
      expect(check(value), JSON.stringify(check.errors)).toBe(true);
      expect(section).toContain(format.schemaFile);
    });
  }
});

describe('what trialsim init writes', () => {
  const formatted = SCAFFOLD_FILES.filter((f) => f.format !== undefined);

  it('has a file of every format, config included', () => {
    expect(new Set(formatted.map((f) => f.format))).toEqual(new Set(FILE_FORMATS.map((f) => f.kind)));
  });

  for (const file of formatted) {
    const kind = file.format as FormatKind;
    it(`${file.path} validates against the ${kind} schema`, () => {
      const check = validatorFor(kind);
      const value = kind === 'config' ? JSON.parse(file.content) : parse(file.content);
      expect(check(value), JSON.stringify(check.errors)).toBe(true);
    });

    it(`${file.path} points at the ${kind} schema where an installed trialsim has it`, () => {
      // The project has trialsim in node_modules/trialsim: resolve the pointer against a project
      // root whose node_modules/trialsim is this package.
      const project = '/project';
      const pointer = schemaPointer(file.content, kind);
      expect(pointer).toBeDefined();
      const target = resolve(project, file.path, '..', pointer ?? '');
      expect(target).toBe(join(project, 'node_modules', 'trialsim', fileFormat(kind).schemaFile));
    });
  }
});

describe('a deliberately wrong file fails with a clear path', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trialsim-formats-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const errorsOf = (kind: FormatKind, value: unknown) => {
    const check = validatorFor(kind);
    expect(check(value)).toBe(false);
    return check.errors ?? [];
  };

  it('device model: the schema names /firmware and the misspelt key; trialsim names file:line:col', async () => {
    const text =
      'deviceType: ESME\nmanufacturer: M\nmodel: X\nhardwareVersion: "1.0"\nfirmwareVersion: "1.0"\nfirmware:\n  imageTyp: 1\n';
    expect(errorsOf('device-model', parse(text))).toContainEqual(
      expect.objectContaining({ instancePath: '/firmware', params: { additionalProperty: 'imageTyp' } }),
    );
    const file = join(dir, 'bad-model.yaml');
    await writeFile(file, text);
    await expect(loadDeviceModel(file)).rejects.toThrow(
      `${file}:7:3: firmware.imageTyp: unknown key "imageTyp" (did you mean "imageType"?)`,
    );
  });

  it('device model: a version written as a number is refused by both (it would read as 1 not "1.0")', async () => {
    const text =
      'deviceType: ESME\nmanufacturer: M\nmodel: X\nhardwareVersion: 1.0\nfirmwareVersion: "1.0"\n';
    expect(errorsOf('device-model', parse(text))).toContainEqual(
      expect.objectContaining({ instancePath: '/hardwareVersion', keyword: 'type' }),
    );
    const file = join(dir, 'number-version.yaml');
    await writeFile(file, text);
    await expect(loadDeviceModel(file)).rejects.toThrow(
      `${file}:4:1: hardwareVersion: Invalid input: expected string, received number`,
    );
  });

  it('CPL: an entry without its certificate reference names /1; the scenario naming it fails at the CPL file:line', async () => {
    const cpl =
      '- { deviceType: CHF, manufacturer: M, model: H, hardwareVersion: "1", firmwareVersion: "1", cpaCertificateReference: C }\n' +
      '- { deviceType: ESME, manufacturer: M, model: E, hardwareVersion: "1", firmwareVersion: "1" }\n';
    expect(errorsOf('cpl', parse(cpl))).toContainEqual(
      expect.objectContaining({ instancePath: '/1', params: { missingProperty: 'cpaCertificateReference' } }),
    );
    await writeFile(join(dir, 'bad-cpl.yaml'), cpl);
    const scenario = join(dir, 'uses-bad-cpl.yaml');
    await writeFile(
      scenario,
      'scenario: s\ntitle: t\ncpl: [{ fixture: ./bad-cpl.yaml }]\ndevices:\n  - { id: chf1, model: acme-comms-hub, eui: 00-12-4B-00-00-00-00-01 }\nsteps:\n  - advance: 1 day\n',
    );
    const { problems } = await checkScenarioFile(scenario);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining(`${join(dir, 'bad-cpl.yaml')}:2:3: 1.cpaCertificateReference:`),
    ]);
  });

  it('firmware release: a body too small names /body/size; trialsim names file:line:col and the key', () => {
    const text =
      'manufacturer: M\nimageType: 1\nfirmwareVersion: "1.0"\nhardwareVersions: ["1.0"]\nbody: { size: 4 }\n';
    expect(errorsOf('firmware', parse(text))).toContainEqual(
      expect.objectContaining({ instancePath: '/body/size', keyword: 'minimum' }),
    );
    expect(() => parseFirmwareRelease(text, 'fw.yaml')).toThrow(
      /^firmware fixture fw\.yaml:5:9: body\.size: /,
    );
    expect(() => parseFirmwareRelease(`${text}hardwareVersion: "1.0"\n`, 'fw.yaml')).toThrow(
      'firmware fixture fw.yaml:6:1: hardwareVersion: ',
    );
  });

  it('firmware release named by a scenario: validate refuses it at the step, naming the release file:line', async () => {
    await writeFile(
      join(dir, 'bad-fw.yaml'),
      'manufacturer: M\nimageType: 1\nfirmwareVersion: "1.0"\nhardwareVersions: ["1.0"]\nbody: { size: 4096, boot: false }\n',
    );
    const scenario = join(dir, 'uses-bad-fw.yaml');
    await writeFile(
      scenario,
      'scenario: s\ntitle: t\ndevices:\n  - { id: chf1, model: acme-comms-hub, eui: 00-12-4B-00-00-00-00-01, preinstalled: true }\n' +
        'steps:\n  - send: { as: supplier-a, srv: "11.1", device: chf1, body: { firmwareImage: ./bad-fw.yaml } }\n',
    );
    const { problems } = await checkScenarioFile(scenario);
    expect(problems.map((p) => p.message)).toEqual([
      `${scenario}:6:64: steps.0.send.body.firmwareImage: firmware fixture ${join(dir, 'bad-fw.yaml')}:5:21: body.boot: unknown key "boot" (did you mean "boots"?)`,
    ]);
  });

  it('application: a certificate reference that is not a trial one names /trial/cpaCertificateReference; trialsim names file:line', () => {
    const good = readFileSync(join(PACKAGE_ROOT, 'fixtures/application/example-application.yaml'), 'utf8');
    const bad = good.replace('cpaCertificateReference: TRIAL-SSC-0001', 'cpaCertificateReference: CPA-0001');
    expect(bad).not.toBe(good);
    expect(errorsOf('application', parse(bad))).toContainEqual(
      expect.objectContaining({ instancePath: '/trial/cpaCertificateReference', keyword: 'pattern' }),
    );
    const line = bad.split('\n').findIndex((l) => l.includes('CPA-0001')) + 1;
    expect(() => parseApplication(bad, 'app.yaml')).toThrow(
      `app.yaml:${line}: trial.cpaCertificateReference: a Trial CPA certificate reference starts with TRIAL-`,
    );
  });

  it('config: a misspelt key and a broker that is not a URL are refused by both', async () => {
    expect(errorsOf('config', { scenario: ['s'] })).toContainEqual(
      expect.objectContaining({ instancePath: '', params: { additionalProperty: 'scenario' } }),
    );
    expect(errorsOf('config', { broker: 'localhost:1883' })).toContainEqual(
      expect.objectContaining({ instancePath: '/broker', keyword: 'pattern' }),
    );
    const file = join(dir, 'trialsim.config.json');
    await writeFile(file, '{\n  "scenario": ["scenarios"]\n}\n');
    await expect(loadProjectConfig(file)).rejects.toThrow(`${file}:2:3: unknown key "scenario"`);
  });
});
