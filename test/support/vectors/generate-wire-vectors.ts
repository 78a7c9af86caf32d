/**
 * Writes fixtures/test-vectors/wire-envelopes.json (PROTOCOL.md §11). Run with
 * `npx tsx test/support/vectors/generate-wire-vectors.ts` after a deliberate wire change; the test
 * wire-vectors.test.ts recomputes every value, so an accidental change fails instead.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildVectorFile } from './wire-vector-cases.js';

const target = fileURLToPath(new URL('../../../fixtures/test-vectors/wire-envelopes.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(buildVectorFile(), null, 2)}\n`);
process.stdout.write(`wrote ${target}\n`);
