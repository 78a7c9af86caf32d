import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { TrialsimError } from '../../simulator/errors.js';

/**
 * `up.json`, which `trialsim up` writes next to the exported PKI: everything another process
 * (`trialsim sr`, a real device, a bridge) needs to join the running stack.
 */
export const UP_FILE = 'up.json';
export const DEFAULT_UP_DIR = '.trialsim/up';

const deviceEntry = z.object({
  id: z.string(),
  eui: z.string(),
  deviceType: z.string(),
  manufacturer: z.string(),
  model: z.string(),
  hardwareVersion: z.string(),
  firmwareVersion: z.string(),
  supplier: z.string(),
  networkOperator: z.string(),
  chf: z.string().optional(),
  preinstalled: z.boolean(),
});

export const upConnectionSchema = z.object({
  brokerUrl: z.string(),
  /** true: the broker runs the access control of `run` (`up --auth`); false: it is open. */
  auth: z.boolean().default(false),
  namespace: z.string(),
  topics: z.object({ dccIn: z.string(), dccOut: z.string(), wanDown: z.string(), wanUp: z.string() }),
  seed: z.string(),
  dccEui: z.string(),
  scenario: z.string(),
  virtualStart: z.string(),
  pkiDir: z.string(),
  parties: z.array(
    z.object({ name: z.string(), eui: z.string(), userRole: z.string().optional(), dsKeyFile: z.string() }),
  ),
  devices: z.array(deviceEntry),
  /** The topic of the decoded message stream (`trialsim watch`). */
  watchTopic: z.string().optional(),
  /** The web console's URL (`up --console`). */
  consoleUrl: z.string().optional(),
  /** Present when `up --duis` serves DUIS: where, with whose keys, and the DCC's signing certificate. */
  duis: z
    .object({
      url: z.string(),
      pki: z.enum(['trialsim', 'zaz1']),
      /** The DSP XmlSign certificate (PEM) every DUIS answer is signed with. */
      dspCertificateFile: z.string(),
      /** Folder of the Users' XmlSign keys: `<party>-xml-sign.key.pem` (trialsim) or ZAZ1's files. */
      userKeyDir: z.string(),
      /** `up --duis-tls`: the test TLS CA certificate (PEM) the https:// endpoint's certificate chains to. */
      tlsCaFile: z.string().optional(),
    })
    .optional(),
  pid: z.number().int(),
});
export type UpConnection = z.infer<typeof upConnectionSchema>;

/**
 * `up`'s folder holds private keys (the exported PKI): it ignores itself, as .pytest_cache does,
 * so it never shows up untracked in the user's repository, whatever their .gitignore says.
 */
export async function writeSelfIgnore(dir: string): Promise<void> {
  await writeFile(join(dir, '.gitignore'), '# written by trialsim up: private keys, never commit\n*\n');
}

export async function writeUpConnection(dir: string, connection: UpConnection): Promise<string> {
  const path = join(dir, UP_FILE);
  await writeFile(path, `${JSON.stringify(connection, null, 2)}\n`);
  return path;
}

export async function readUpConnection(dir: string): Promise<UpConnection> {
  const path = join(dir, UP_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new TrialsimError(
      'USAGE',
      `no running stack described at ${path}: start one with \`trialsim up\` (or pass --stack <dir>)`,
    );
  }
  const parsed = upConnectionSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new TrialsimError('USAGE', `${path} is not a trialsim up.json file`);
  return parsed.data;
}
