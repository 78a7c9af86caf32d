import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import { FILE_FORMATS, formatJsonSchemaText } from './file-formats.js';

/**
 * `npm run schemas` in trialsim's own repository: rewrites every committed JSON Schema from the
 * zod schemas (test/unit/harness/project/format-schemas-fresh.test.ts fails until this is run).
 */
for (const format of FILE_FORMATS) {
  const path = join(PACKAGE_ROOT, format.schemaFile);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, formatJsonSchemaText(format));
  process.stdout.write(`wrote ${format.schemaFile}\n`);
}
