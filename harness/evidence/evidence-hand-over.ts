import { TrialsimError } from '../../simulator/errors.js';
import type { EvidenceHandOver } from '../reporters/reporter.js';
import { BUNDLE_OWN_FILES } from './bundle-writer.js';

/** A bundle is one flat folder of plain files: a handed-over name is one file name, nothing more. */
export const BUNDLE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The files reporters hand to the evidence bundle during a run (Reporter.onRunEnd's `evidence`).
 * The bundle reporter reads them once, when it writes; a hand-over after that, a second file of
 * one name, or a name the bundle writes itself is a programming error and says whose.
 */
export class HandedOverFiles implements EvidenceHandOver {
  private readonly files = new Map<string, { readonly bytes: Buffer; readonly from: string }>();
  private taken = false;

  constructor(private readonly reserved: ReadonlySet<string> = BUNDLE_OWN_FILES) {}

  add(name: string, content: string | Uint8Array, from: string): void {
    const refuse = (why: string) => {
      throw new TrialsimError(
        'EVIDENCE_HAND_OVER',
        `${from} handed ${JSON.stringify(name)} to the evidence bundle: ${why}`,
      );
    };
    if (this.taken) refuse('too late, the bundle is already written (register the bundle reporter last)');
    if (!BUNDLE_FILE_NAME.test(name)) refuse('not a plain file name (a bundle is one flat folder)');
    if (this.reserved.has(name)) refuse('the bundle writes that file itself');
    const earlier = this.files.get(name);
    if (earlier !== undefined) refuse(`${earlier.from} already handed over a file of that name`);
    this.files.set(name, { bytes: Buffer.from(content), from });
  }

  /** Everything handed over, by name; nothing may be added afterwards. */
  take(): ReadonlyMap<string, Buffer> {
    this.taken = true;
    return new Map([...this.files].map(([name, f]) => [name, f.bytes]));
  }
}
