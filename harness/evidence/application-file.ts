import { readFile } from 'node:fs/promises';
import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { z } from 'zod';
import { DEVICE_TYPES, ELIGIBILITY_MODES } from '../../simulator/domain/index.js';
import { TrialsimError } from '../../simulator/errors.js';

/**
 * The trial application the evidence is attached to (TRIALS.md "The proposed solution", step 2):
 * who applies, for which Device Model, under which limits, sponsored by which supplier, and
 * where the MVP description and the risk assessment are. The user writes it; it fills the
 * report's cover sheet and the manifest. Strict, so a misspelt key is an error with its line.
 */
const text = z.string().min(1);

export const applicationSchema = z
  .object({
    title: text.optional().describe('title of the application, e.g. "Trial of the ACME-E-TRIAL ESME"'),
    reference: text.optional().describe("the manufacturer's or SECAS's reference for the application"),
    manufacturer: z
      .object({
        name: text,
        address: text.optional(),
        contact: text.optional(),
      })
      .strict(),
    deviceModel: z
      .object({
        deviceType: z.enum(DEVICE_TYPES),
        model: text,
        hardwareVersion: text,
        firmwareVersion: text,
        firmwareImageHash: z
          .string()
          .regex(/^[0-9a-fA-F]{64}$/, 'a SHA-256 in hex: 64 hex digits')
          .transform((h) => h.toLowerCase())
          .optional()
          .describe(
            'SHA-256 of the firmware image the application is for; the evidence must show a device running it',
          ),
        description: text.optional(),
      })
      .strict(),
    trial: z
      .object({
        trialId: text.optional(),
        cpaCertificateReference: z
          .string()
          // A pattern, not startsWith: that becomes `format: starts_with` in the JSON Schema
          // (schemas/application.schema.json), which strict validators refuse.
          .regex(/^TRIAL-/, 'a Trial CPA certificate reference starts with TRIAL-')
          .optional()
          .describe('once the SSC has issued it'),
        maxDevices: z.number().int().positive(),
        durationMonths: z.number().int().positive(),
        eligibility: z.enum(ELIGIBILITY_MODES).default('anyCertifiedProduct'),
        plannedStart: text.optional(),
        region: text.optional(),
      })
      .strict(),
    sponsorSupplier: z
      .object({
        name: text,
        party: text.optional().describe('the simulated party that plays the sponsor, e.g. supplier-a'),
      })
      .strict(),
    useCase: z.object({ summary: text, businessRationale: text }).strict(),
    mvp: z.object({ reference: text, description: text.optional() }).strict(),
    riskAssessment: z
      .object({ reference: text, version: text.optional(), summary: text.optional() })
      .strict(),
  })
  .strict();

export type Application = z.infer<typeof applicationSchema>;

/** An application file that cannot be used: the message names the file, the line and the problem. */
export class ApplicationLoadError extends TrialsimError {
  constructor(file: string, line: number | undefined, problem: string) {
    super('APPLICATION_INVALID', `${file}${line === undefined ? '' : `:${line}`}: ${problem}`);
  }
}

export interface LoadedApplication {
  readonly file: string;
  readonly bytes: Buffer;
  readonly application: Application;
}

export async function loadApplication(file: string): Promise<LoadedApplication> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ApplicationLoadError(
      file,
      undefined,
      code === 'ENOENT' ? 'file not found' : `cannot read (${code})`,
    );
  }
  return { file, bytes, application: parseApplication(bytes.toString('utf8'), file) };
}

export function parseApplication(source: string, file: string): Application {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  const first = doc.errors[0];
  if (first !== undefined) {
    const line = first.linePos?.[0]?.line ?? lineCounter.linePos(first.pos[0]).line;
    throw new ApplicationLoadError(file, line, `not valid YAML: ${first.message.split('\n')[0]}`);
  }
  const result = applicationSchema.safeParse(doc.toJS());
  if (result.success) return result.data;
  // A misspelt key also makes the right one "missing": name the misspelling, it is the fix.
  const issue = result.error.issues.find((i) => i.code === 'unrecognized_keys') ?? result.error.issues[0];
  const path = issue?.path ?? [];
  // An unknown key is reported on the object that holds it; point at the key itself.
  const keys = issue?.code === 'unrecognized_keys' ? [...path, issue.keys[0] ?? ''] : path;
  const where = keys.length > 0 ? `${keys.join('.')}: ` : '';
  throw new ApplicationLoadError(
    file,
    lineOf(doc.contents, keys, lineCounter),
    `${where}${issue?.message ?? 'invalid'}`,
  );
}

function lineOf(root: unknown, path: readonly PropertyKey[], counter: LineCounter): number | undefined {
  const lineFor = (node: unknown) => {
    const start = (node as Node | undefined)?.range?.[0];
    return start === undefined ? undefined : counter.linePos(start).line;
  };
  let node: unknown = root;
  let line = lineFor(node);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => String((item.key as { value?: unknown })?.value) === String(key),
      );
      if (pair === undefined) break;
      line = lineFor(pair.key) ?? line;
      node = pair.value;
    } else if (isSeq(node)) node = node.get(key as number, true);
    else break;
    line = lineFor(node) ?? line;
  }
  return line;
}
