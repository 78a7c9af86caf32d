import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { xmllintEngine } from './xmllint-engine.js';

const DUIS_XSD = 'DUIS Schema V5.4.xsd';
const MMC_XSD = 'MMC Schema V5.4.xsd';
const DSIG_XSD = 'xmldsig-core-schema.xsd';
/** libxml2 does not resolve an import whose schemaLocation has spaces: preload MMC under this. */
const MMC_LOADED_AS = 'mmc54.xsd';
/** Documents per xmllint run: bounded so one run's memory stays within xmllint-wasm's default. */
const MAX_BATCH = 64;
/** xmllint-wasm's defaults (16 MiB, at most 32 MiB; pages of 64 kB). */
const MEMORY = { initialPages: 256, maxPages: 512 };

/** The outcome of validating one DUIS document: the schema's first complaints, or none. */
export type XsdVerdict =
  | { readonly valid: true }
  | { readonly valid: false; readonly errors: readonly string[] };

/**
 * The DUIS 5.4 XSD (with the MMC and xmldsig schemas it imports), validated with libxml2 compiled
 * to WebAssembly (xmllint-wasm): no Java, no network. Runs go to the process's one long-lived
 * xmllint worker (xmllint-engine.ts), which keeps the compiled WebAssembly and V8's optimised
 * code between runs; libxml2 still parses the 240 kB schema on each run, so the DUIS adapter
 * validates each message exactly once, where it crosses the HTTP boundary, and never again
 * inside trialsim.
 */
export class DuisSchema {
  private constructor(private readonly schemaId: number) {}

  /** Loads the schema files from `dir` (fixtures/duis/xsd), applying the import rename in memory. */
  static async load(dir: string): Promise<DuisSchema> {
    const [duis, mmc, dsig] = await Promise.all(
      [DUIS_XSD, MMC_XSD, DSIG_XSD].map((name) => readFile(join(dir, name), 'utf8')),
    );
    const renamed = (duis as string).replace(
      `schemaLocation="${MMC_XSD}"`,
      `schemaLocation="${MMC_LOADED_AS}"`,
    );
    if (renamed === duis) throw new Error(`${join(dir, DUIS_XSD)} does not import "${MMC_XSD}" as expected`);
    return new DuisSchema(
      xmllintEngine.addSchema({
        main: { fileName: 'duis54.xsd', contents: renamed },
        preload: [
          { fileName: MMC_LOADED_AS, contents: mmc as string },
          { fileName: DSIG_XSD, contents: dsig as string },
        ],
      }),
    );
  }

  /**
   * Validates one document. Documents asked for while xmllint is busy wait and go together in
   * the next run: under load the schema is compiled once per batch, not once per message.
   */
  validate(xml: string): Promise<XsdVerdict> {
    return new Promise((resolve, reject) => {
      this.queue.push({ xml, resolve, reject });
      if (!this.running) this.runQueue();
    });
  }

  private readonly queue: { xml: string; resolve(v: XsdVerdict): void; reject(e: unknown): void }[] = [];
  private running = false;

  private runQueue(): void {
    const batch = this.queue.splice(0, MAX_BATCH);
    if (batch.length === 0) {
      this.running = false;
      return;
    }
    this.running = true;
    this.validateAll(batch.map((b) => b.xml)).then(
      (verdicts) => {
        for (const [i, b] of batch.entries()) b.resolve(verdicts[i] as XsdVerdict);
        this.runQueue();
      },
      (err: unknown) => {
        for (const b of batch) b.reject(err);
        this.runQueue();
      },
    );
  }

  /** Validates several documents in one run of xmllint (a test corpus): one verdict each, in order. */
  async validateAll(xmls: readonly string[]): Promise<XsdVerdict[]> {
    const files = xmls.map((contents, i) => ({ fileName: `message-${i}.xml`, contents }));
    const run = await xmllintEngine.run(this.schemaId, files, MEMORY);
    if (run.exitCode < 0) throw new Error(`xmllint failed: ${run.stderr.slice(0, 500)}`);
    const lines = run.stderr.split('\n').filter((l) => l.trim() !== '');
    // Each file's verdict from its own lines, not from the exit code (one per run): a file that
    // libxml2 cannot even parse is invalid, naming the parser's complaint, and the others of its
    // batch keep theirs.
    return files.map((file) => {
      const mine = lines.filter(
        (l) => l.startsWith(`${file.fileName}:`) || l.startsWith(`${file.fileName} `),
      );
      const complaints = mine.filter((l) => l.startsWith(`${file.fileName}:`));
      if (complaints.length > 0)
        return { valid: false, errors: complaints.slice(0, 5).map((l) => complaint(l, file.fileName)) };
      if (mine.includes(`${file.fileName} validates`)) return { valid: true };
      if (mine.includes(`${file.fileName} fails to validate`))
        return { valid: false, errors: ['fails to validate against the DUIS 5.4 XSD'] };
      throw new Error(
        `xmllint gave no verdict for a document (exit ${run.exitCode}): ${run.stderr.slice(0, 500)}`,
      );
    });
  }
}

/** A complaint without the file name and line number xmllint starts it with. */
function complaint(line: string, fileName: string): string {
  const rest = line.slice(fileName.length);
  const located = /^:\d+: (.*)$/.exec(rest);
  return (located?.[1] ?? line).trim();
}
