import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { toJSONSchema, z } from 'zod';
import {
  buildSignedImage,
  FIRMWARE_MAX_IMAGE_BYTES,
  type FirmwareHeader,
  firmwareImageHash,
  NO_BOOT_MARKER,
  parseFirmwareImage,
  toHex,
} from '../../simulator/domain/index.js';
import { TrialsimError } from '../../simulator/errors.js';
import type { TestPki } from '../../simulator/pki/index.js';
import { FIXTURES_DIR } from '../package-root.js';
import { yamlPositionOf } from './yaml-position.js';
import { describeIssue, flatIssues, keysFromJsonSchema } from './zod-issues.js';

/**
 * Firmware image fixtures (fixtures/firmware/). A release is written the way a manufacturer's
 * release notes would put it — a small YAML file: manufacturer, image type, firmware version,
 * hardware versions, body size — and built at load time, signed with the `manufacturer`
 * organisation's key of the run's test PKI. The key follows the seed, so a stored binary would
 * verify under one seed only; building keeps every seed working. A manufacturer's own signed
 * image can be used instead as a `.bin` file (it then verifies only if signed with that key).
 */
export const firmwareReleaseSchema = z
  .object({
    manufacturer: z.string().min(1).max(64),
    imageType: z.number().int().min(0).max(65_535),
    firmwareVersion: z.string().min(1).max(8),
    hardwareVersions: z.array(z.string().min(1).max(32)).min(1).max(16),
    body: z
      .object({
        size: z
          .number()
          .int()
          .min(16)
          .max(FIRMWARE_MAX_IMAGE_BYTES - 512),
        boots: z.boolean().default(true).describe('false: firmware that fails to start (activationFailure)'),
      })
      .strict(),
    description: z.string().optional(),
    signedBy: z
      .string()
      .default('manufacturer')
      .describe('test-PKI organisation whose DS key signs the image (a wrong one makes a forgery)'),
  })
  .strict();
export type FirmwareRelease = z.infer<typeof firmwareReleaseSchema>;

/**
 * A release file's text as a release, or FIXTURE_INVALID naming file:line:col, the key's path and
 * the problem (a misspelt key before the "missing" one it causes: the misspelling is the fix).
 */
export function parseFirmwareRelease(text: string, file: string): FirmwareRelease {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    const at = counter.linePos(syntax.pos[0]);
    throw new TrialsimError(
      'FIXTURE_INVALID',
      `firmware fixture ${file}:${at.line}:${at.col}: not valid YAML: ${syntax.message.split('\n')[0]}`,
    );
  }
  const parsed = firmwareReleaseSchema.safeParse(doc.toJS());
  if (parsed.success) return parsed.data;
  // As a scenario's errors: an unknown key each, with the nearest key the object takes.
  const keys = keysFromJsonSchema(
    toJSONSchema(firmwareReleaseSchema, { io: 'input' }) as Record<string, unknown>,
  );
  const issues = flatIssues(parsed.error.issues, doc.toJS(), keys);
  const issue = issues.find((i) => i.message.startsWith('unknown key')) ?? issues[0];
  const at = issue === undefined ? undefined : yamlPositionOf(doc.contents, issue.path, counter);
  throw new TrialsimError(
    'FIXTURE_INVALID',
    `firmware fixture ${file}${at === undefined ? '' : `:${at.line}:${at.col}`}: ${issue === undefined ? 'invalid' : describeIssue(issue)}`,
  );
}

export interface FirmwareImageFixture {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** SHA-256 of the whole image, lower-case hex. */
  readonly hash: string;
  readonly header: FirmwareHeader;
}

/** Deterministic body bytes: SHA-256 in counter mode over the release's identity. */
export function releaseBody(release: FirmwareRelease): Uint8Array {
  const body = new Uint8Array(release.body.size);
  const label = `trialsim/firmware-body\u0000${release.manufacturer}\u0000${release.firmwareVersion}`;
  for (let block = 0; block * 32 < body.length; block++) {
    const chunk = createHash('sha256').update(`${label}\u0000${block}`).digest();
    body.set(chunk.subarray(0, Math.min(32, body.length - block * 32)), block * 32);
  }
  if (!release.body.boots) body.set(NO_BOOT_MARKER, 0);
  return body;
}

export function buildRelease(release: FirmwareRelease, pki: TestPki): Uint8Array {
  const header: FirmwareHeader = {
    manufacturer: release.manufacturer,
    imageType: release.imageType,
    firmwareVersion: release.firmwareVersion,
    hardwareVersions: release.hardwareVersions,
  };
  return buildSignedImage(
    header,
    releaseBody(release),
    pki.organisation(release.signedBy).ds.keys.privateKey,
  );
}

const cache = new WeakMap<TestPki, Map<string, FirmwareImageFixture>>();

/**
 * Loads `fixtures/firmware/<name>.yaml` (built and signed) or `<name>.bin` (used as is); an
 * absolute path is read where it points.
 */
export async function loadFirmwareImage(name: string, pki: TestPki): Promise<FirmwareImageFixture> {
  const perPki = cache.get(pki) ?? new Map<string, FirmwareImageFixture>();
  cache.set(pki, perPki);
  const cached = perPki.get(name);
  if (cached !== undefined) return cached;
  // An absolute path is a user's own release (the loader resolved it against the scenario file).
  const base = isAbsolute(name)
    ? name.replace(/\.(yaml|bin)$/, '')
    : join(FIXTURES_DIR, 'firmware', name.replace(/\.(yaml|bin)$/, ''));
  let bytes: Uint8Array;
  if (name.endsWith('.bin')) {
    bytes = await readFixture(`${base}.bin`, name).then((b) => Uint8Array.from(b));
  } else {
    const text = (await readFixture(`${base}.yaml`, name)).toString('utf8');
    bytes = buildRelease(parseFirmwareRelease(text, `${base}.yaml`), pki);
  }
  const image = parseFirmwareImage(bytes);
  if (!image.ok) throw new TrialsimError('FIXTURE_INVALID', `firmware fixture ${name}: ${image.reason}`);
  const fixture = { name, bytes, hash: toHex(firmwareImageHash(bytes)), header: image.image.header };
  perPki.set(name, fixture);
  return fixture;
}

async function readFixture(path: string, name: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A file that is there but cannot be read is not "missing": say what stopped it.
    if (code !== 'ENOENT' && code !== 'ENOTDIR')
      throw new TrialsimError(
        'FIXTURE_UNREADABLE',
        `firmware fixture "${name}": cannot read ${path} (${code ?? String(err)})`,
      );
    throw new TrialsimError('FIXTURE_NOT_FOUND', `no firmware fixture "${name}" (looked for ${path})`);
  }
}
