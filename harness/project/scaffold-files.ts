import type { FormatKind } from './file-formats.js';
import { CONFIG_FILE_NAME } from './project-config.js';

/**
 * What `trialsim init` writes: a small project that runs as it is. Every path in the scenario
 * is relative to the scenario file, so the project can live anywhere and run from any folder.
 */
export interface ScaffoldFile {
  readonly path: string;
  readonly content: string;
  /** The file format it is written in (its first line, or `$schema`, points at that schema). */
  readonly format?: FormatKind;
}

/** Where an installed trialsim's JSON Schemas are, from a file `depth` folders below the project. */
const schemaPath = (depth: number, file: string) =>
  `${depth === 0 ? './' : '../'.repeat(depth)}node_modules/trialsim/${file}`;
const schemaLine = (depth: number, file: string) =>
  `# yaml-language-server: $schema=${schemaPath(depth, file)}\n`;

const CONFIG = `${JSON.stringify(
  {
    $schema: schemaPath(0, 'schemas/config.schema.json'),
    scenarios: ['scenarios'],
    out: 'evidence',
    junit: 'junit.xml',
    application: 'application.yaml',
  },
  null,
  2,
)}
`;

const SCENARIO = `${schemaLine(1, 'scenarios/scenario.schema.json')}# A first scenario: commission your trial ESME through the DCC, read it, and send it your
# firmware. Paths (model:, fixture:, firmwareImage:) are relative to this file.
scenario: my-first-trial
title: Commission my trial ESME and distribute its firmware
tags: [commissioning, firmware]
cpl:
  - fixture: ../cpl/cpl.yaml
trials:
  - trialId: T-0001
    cpaCertificateReference: TRIAL-SSC-0001
    manufacturer: Example Meters Ltd
    deviceType: ESME
    sponsor: supplier-a
devices:
  - id: chf1
    model: ../device-models/my-comms-hub.yaml
    eui: 00-12-4B-00-00-00-00-01
    preinstalled: true
  - id: esme1
    model: ../device-models/my-trial-esme.yaml
    eui: 00-12-4B-00-00-00-01-01
    chf: chf1
steps:
  - send: { as: supplier-a, srv: "12.2", device: esme1 }
    expect: { response: I0 }
  - send: { as: supplier-a, srv: "8.11", device: esme1 }
    expect: { response: I0 }
  - send: { as: supplier-a, srv: "8.4", device: esme1 }
    expect: { response: I0 }
  - send: { as: supplier-a, srv: "8.1.1", device: esme1 }
    expect: { response: I0, body: { status: success } }
  - expect: { smi: { device: esme1, status: Commissioned, trial: T-0001 } }
  - send: { as: supplier-a, srv: "11.2", device: esme1 }
    expect: { response: I0, body: { firmwareVersion: "0.9.0" } }
  - title: the supplier distributes firmware 0.9.1 (11.1); the device checks its signature
    send: { as: supplier-a, srv: "11.1", device: esme1, body: { firmwareImage: ../firmware/my-trial-esme-0.9.1.yaml } }
    expect: { response: I0 }
  - expect: { alert: { to: supplier-a, alert: DeviceAlert, device: esme1, alertCode: "0x8F8A" } }
`;

const ESME_MODEL = `${schemaLine(1, 'schemas/device-model.schema.json')}# Your trial device: an electricity meter (ESME) whose firmware has no CPA certificate yet.
# deviceType, manufacturer, model, hardwareVersion and firmwareVersion name it on the CPL.
deviceType: ESME
manufacturer: Example Meters Ltd
model: EX-E-TRIAL
hardwareVersion: "1.0"
firmwareVersion: "0.9.0"
description: The smart electricity meter under trial.
firmware:
  imageType: 1
`;

const HUB_MODEL = `${schemaLine(1, 'schemas/device-model.schema.json')}# A CPA-certified comms hub (CHF) the trial ESME joins through 8.11.
deviceType: CHF
manufacturer: Example Meters Ltd
model: EX-CH-1
hardwareVersion: "1.0"
firmwareVersion: "2.0.0"
`;

const CPL = `${schemaLine(1, 'schemas/cpl.schema.json')}# The Central Products List the scenario starts from (DCC.md §5). The trial entry's CPA
# certificate reference (TRIAL-…, issued by the SSC) marks it as a trial device.
- deviceType: CHF
  manufacturer: Example Meters Ltd
  model: EX-CH-1
  hardwareVersion: "1.0"
  firmwareVersion: "2.0.0"
  cpaCertificateReference: CPA-2026-0001
- deviceType: ESME
  manufacturer: Example Meters Ltd
  model: EX-E-TRIAL
  hardwareVersion: "1.0"
  firmwareVersion: "0.9.0"
  cpaCertificateReference: TRIAL-SSC-0001
- deviceType: ESME
  manufacturer: Example Meters Ltd
  model: EX-E-TRIAL
  hardwareVersion: "1.0"
  firmwareVersion: "0.9.1"
  cpaCertificateReference: TRIAL-SSC-0001
`;

const FIRMWARE = `${schemaLine(1, 'schemas/firmware.schema.json')}# A firmware release as your release notes would put it. trialsim builds the image and signs
# it with the test PKI's manufacturer key (a real signed image can be given as a .bin file).
manufacturer: Example Meters Ltd
imageType: 1
firmwareVersion: "0.9.1"
hardwareVersions: ["1.0"]
body: { size: 4096 }
description: EX-E-TRIAL firmware 0.9.1 for hardware 1.0.
`;

const APPLICATION = `${schemaLine(0, 'schemas/application.schema.json')}# The trial application the evidence goes with (TRIALS.md "The proposed solution").
title: Field trial of the EX-E-TRIAL smart electricity meter
manufacturer:
  name: Example Meters Ltd
deviceModel:
  deviceType: ESME
  model: EX-E-TRIAL
  hardwareVersion: "1.0"
  firmwareVersion: "0.9.0"
trial:
  trialId: T-0001
  cpaCertificateReference: TRIAL-SSC-0001
  maxDevices: 100
  durationMonths: 18
sponsorSupplier:
  name: Supplier A Energy Ltd
  party: supplier-a
useCase:
  summary: What the trial proves with real consumers (replace this).
  businessRationale: Why a trial is needed before CPA certification (replace this).
mvp:
  reference: MVP-0001
riskAssessment:
  reference: RA-0001
`;

const WORKFLOW = `# Validates the scenarios, runs them spread over two runners, and merges their evidence.
name: trialsim
on: [push, pull_request]
jobs:
  run:
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix:
        shard: [1, 2]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 20 }
      - run: npm ci
      - run: npx trialsim validate
      - run: npx trialsim run --shard \${{ matrix.shard }}/2 --out evidence-\${{ matrix.shard }} --reporter github --pass-with-no-scenarios --seed "\${{ secrets.TRIALSIM_SEED }}"
      - uses: actions/upload-artifact@v4
        if: always()
        with: { name: evidence-\${{ matrix.shard }}, path: evidence-\${{ matrix.shard }} }
  merge:
    needs: run
    if: always()
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 20 }
      - run: npm ci
      - uses: actions/download-artifact@v4
      - run: npx trialsim merge evidence-1 evidence-2 --out evidence
      - uses: actions/upload-artifact@v4
        with: { name: evidence, path: evidence }
`;

const README = `# My trialsim project

Scenarios for a trial of the EX-E-TRIAL meter, run with [trialsim](https://www.npmjs.com/package/trialsim).

| path                          | what                                                         |
| ----------------------------- | ------------------------------------------------------------ |
| \`${CONFIG_FILE_NAME}\`         | defaults for \`trialsim run\` (flags on the command line win)  |
| \`scenarios/\`                  | scenario files; paths in them are relative to the file      |
| \`device-models/\`              | the devices the scenarios simulate                           |
| \`cpl/cpl.yaml\`                | the Central Products List the scenarios start from           |
| \`firmware/\`                   | firmware releases (built and signed by trialsim)             |
| \`application.yaml\`            | the trial application the evidence goes with                 |
| \`.github/workflows/trialsim.yml\` | CI: validate, two shards, evidence merged               |

\`\`\`sh
npx trialsim validate          # check every scenario without running it
npx trialsim run               # run them; evidence in evidence/
npx trialsim verify evidence   # check the evidence bundle
\`\`\`

Set your own \`--seed\` (or \`"seed"\` in ${CONFIG_FILE_NAME}) before sharing evidence: the default is public.
`;

export const SCAFFOLD_FILES: readonly ScaffoldFile[] = [
  { path: CONFIG_FILE_NAME, content: CONFIG, format: 'config' },
  { path: 'scenarios/my-first-trial.yaml', content: SCENARIO, format: 'scenario' },
  { path: 'device-models/my-trial-esme.yaml', content: ESME_MODEL, format: 'device-model' },
  { path: 'device-models/my-comms-hub.yaml', content: HUB_MODEL, format: 'device-model' },
  { path: 'cpl/cpl.yaml', content: CPL, format: 'cpl' },
  { path: 'firmware/my-trial-esme-0.9.1.yaml', content: FIRMWARE, format: 'firmware' },
  { path: 'application.yaml', content: APPLICATION, format: 'application' },
  { path: '.github/workflows/trialsim.yml', content: WORKFLOW },
  { path: 'README.md', content: README },
];
