import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  XmlBufferInputProvider,
  XmlDocument,
  XmlLibError,
  XmlValidateError,
  XsdValidator,
  xmlRegisterInputProvider,
} from 'libxml2-wasm';

const DUIS_XSD = 'DUIS Schema V5.4.xsd';
const MMC_XSD = 'MMC Schema V5.4.xsd';
const DSIG_XSD = 'xmldsig-core-schema.xsd';
/** libxml2 does not resolve an import whose schemaLocation has spaces: serve MMC under this. */
const MMC_LOADED_AS = 'mmc54.xsd';
/** The complaints a verdict keeps: the first few say what is wrong; the rest repeat it. */
const MAX_COMPLAINTS = 5;

/** The outcome of validating one DUIS document: the schema's first complaints, or none. */
export type XsdVerdict =
  | { readonly valid: true }
  | { readonly valid: false; readonly errors: readonly string[] };

/**
 * The schema files, by the in-memory names libxml2 asks for. The provider is registered once per
 * process and serves only these names: a document naming any other external resource (an
 * entity, a schemaLocation) gets nothing, so validation never reads a file or the network.
 */
const schemaFiles = new XmlBufferInputProvider({});
let providerRegistered = false;
/** One compiled schema per folder: compiling the 240 kB DUIS schema takes ~0.1 s, validating ~0.1 ms. */
const compiled = new Map<string, Promise<XsdValidator>>();

/**
 * The DUIS 5.4 XSD (with the MMC and xmldsig schemas it imports), validated by libxml2 compiled
 * to WebAssembly (libxml2-wasm): no Java, no network. The schema is compiled once per process and
 * kept, so a message costs a parse and a validation, not a schema compilation; the DUIS adapter
 * still validates each message exactly once, where it crosses the HTTP boundary.
 */
export class DuisSchema {
  private constructor(private readonly validator: XsdValidator) {}

  /** Loads the schema files from `dir` (fixtures/duis/xsd), applying the import rename in memory. */
  static async load(dir: string): Promise<DuisSchema> {
    let validator = compiled.get(dir);
    if (validator === undefined) {
      validator = compile(dir, compiled.size);
      compiled.set(dir, validator);
      // A folder that failed to load may be fixed and loaded again.
      validator.catch(() => compiled.delete(dir));
    }
    return new DuisSchema(await validator);
  }

  /** Validates one document. */
  validate(xml: string): Promise<XsdVerdict> {
    return Promise.resolve(this.verdict(xml));
  }

  /** Validates several documents (a test corpus): one verdict each, in order. */
  validateAll(xmls: readonly string[]): Promise<XsdVerdict[]> {
    return Promise.resolve(xmls.map((xml) => this.verdict(xml)));
  }

  private verdict(xml: string): XsdVerdict {
    let doc: XmlDocument;
    try {
      doc = XmlDocument.fromString(xml);
    } catch (err) {
      // A document libxml2 cannot even parse is invalid, naming the parser's complaint.
      return { valid: false, errors: [`parser error: ${complaints(err).join('; ')}`] };
    }
    try {
      this.validator.validate(doc);
      return { valid: true };
    } catch (err) {
      if (err instanceof XmlValidateError) return { valid: false, errors: complaints(err) };
      throw err;
    } finally {
      doc.dispose();
    }
  }
}

async function compile(dir: string, index: number): Promise<XsdValidator> {
  const [duis, mmc, dsig] = await Promise.all(
    [DUIS_XSD, MMC_XSD, DSIG_XSD].map((name) => readFile(join(dir, name))),
  );
  const main = (duis as Buffer).toString('utf8');
  const renamed = main.replace(`schemaLocation="${MMC_XSD}"`, `schemaLocation="${MMC_LOADED_AS}"`);
  if (renamed === main) throw new Error(`${join(dir, DUIS_XSD)} does not import "${MMC_XSD}" as expected`);
  // Each folder under its own prefix, so two schema folders in one process never mix imports.
  const base = `trialsim-duis-xsd-${index}`;
  schemaFiles.addBuffer(`${base}/${MMC_LOADED_AS}`, mmc as Buffer);
  schemaFiles.addBuffer(`${base}/${DSIG_XSD}`, dsig as Buffer);
  if (!providerRegistered) providerRegistered = xmlRegisterInputProvider(schemaFiles);
  // The schema document stays alive with the compiled schema (libxml2 may point into it); both
  // live as long as the process, one per folder.
  const xsd = XmlDocument.fromString(renamed, { url: `${base}/duis54.xsd` });
  try {
    return XsdValidator.fromDoc(xsd);
  } catch (err) {
    xsd.dispose();
    throw new Error(`${join(dir, DUIS_XSD)} does not compile as a schema: ${complaints(err).join('; ')}`);
  }
}

/** libxml2's complaints, one line each, without its trailing newlines. */
function complaints(err: unknown): string[] {
  const details = err instanceof XmlLibError ? err.details : [];
  const lines = details.map((d) => d.message.trim()).filter((m) => m !== '');
  if (lines.length === 0) lines.push(err instanceof Error ? err.message.trim() : String(err));
  return lines.slice(0, MAX_COMPLAINTS);
}
