import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { PACKAGE_ROOT } from '../../../../harness/package-root.js';
import { ScenarioLoadError } from '../../../../harness/scenario/scenario-error.js';
import { loadScenario } from '../../../../harness/scenario/scenario-loader.js';
import { formatRequestId, parseRequestId } from '../../../../simulator/domain/duis/request-id.js';
import { isEui, parseEui } from '../../../../simulator/domain/eui.js';
import { budget, TEST_TIMEOUT_MS } from '../../../support/run-budget.js';

/** A parser's contract: a valid value, or a RangeError that quotes what it was given. */
function parsesOrRangeError<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch (err) {
    expect(err).toBeInstanceOf(RangeError);
    expect((err as Error).message.length).toBeGreaterThan(10);
    return undefined;
  }
}

const hexish = fc.string({
  unit: fc.constantFrom(...'0123456789abcdefABCDEF-:xZ '.split('')),
  maxLength: 30,
});

describe('identifier parsing under hostile input', () => {
  it('EUI - any text parses to a canonical EUI-64 or is refused with a RangeError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), hexish), (text) => {
        const eui = parsesOrRangeError(() => parseEui(text));
        if (eui !== undefined) {
          expect(isEui(eui)).toBe(true);
          expect(parseEui(eui)).toBe(eui);
        }
      }),
      budget(500),
    );
  });

  it('DUIS-REQUESTID - any text parses to a RequestID that formats back, or is refused', () => {
    const parts = fc.oneof(
      hexish,
      fc.string({ maxLength: 20 }),
      fc.bigInt({ min: -1n, max: 2n ** 70n }).map(String),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 80 }),
          fc.array(parts, { maxLength: 4 }).map((p) => p.join(':')),
        ),
        (text) => {
          const id = parsesOrRangeError(() => parseRequestId(text));
          if (id !== undefined) {
            expect(Number.isSafeInteger(id.counter) && id.counter >= 0).toBe(true);
            expect(parseRequestId(formatRequestId(id))).toEqual(id);
          }
        },
      ),
      budget(500),
    );
  });
});

describe('scenario loader under hostile input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trialsim-fuzz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const original = readFileSync(join(PACKAGE_ROOT, 'scenarios', 'commissioning.yaml'), 'utf8');
  const lines = original.split('\n');
  let n = 0;

  /** Loads `text` as a scenario file: it loads, or fails with ScenarioLoadError naming the file. */
  async function loadsOrScenarioError(text: string): Promise<'ok' | 'refused'> {
    const file = join(dir, `s${n++}.yaml`);
    writeFileSync(file, text);
    try {
      await loadScenario(file);
      return 'ok';
    } catch (err) {
      expect(err).toBeInstanceOf(ScenarioLoadError);
      expect((err as ScenarioLoadError).code).toBe('SCENARIO_INVALID');
      expect((err as Error).message.startsWith(file)).toBe(true);
      return 'refused';
    }
  }

  it(
    'SCENARIO_INVALID - random text is refused with the file (and line) named',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.string({ maxLength: 300 }), async (text) => {
          await loadsOrScenarioError(text);
        }),
        budget(100),
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'SCENARIO_INVALID - random YAML documents (wrong shapes and types) are refused',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
          expect(await loadsOrScenarioError(stringify(value))).toBe('refused');
        }),
        budget(100),
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'SCENARIO_INVALID - a real scenario with lines dropped, repeated or garbled loads or is refused',
    async () => {
      const edit = fc.oneof(
        fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('repeat' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('garble' as const), at: fc.nat(), text: fc.string({ maxLength: 12 }) }),
        fc.record({ kind: fc.constant('indent' as const), at: fc.nat() }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), async (edits) => {
          const mutated = [...lines];
          for (const e of edits) {
            const i = e.at % mutated.length;
            const line = mutated[i] as string;
            if (e.kind === 'drop') mutated.splice(i, 1);
            else if (e.kind === 'repeat') mutated.splice(i, 0, line);
            else if (e.kind === 'indent') mutated[i] = ` ${line}`;
            else mutated[i] = line.slice(0, line.length >> 1) + e.text;
          }
          await loadsOrScenarioError(mutated.join('\n'));
        }),
        budget(100),
      );
    },
    TEST_TIMEOUT_MS,
  );

  it('SCENARIO_INVALID - YAML that parses but cannot become data (dangling alias, alias bomb) is refused', async () => {
    // Found by the soak run (seed 26723476): `*!` escaped as a ReferenceError.
    expect(await loadsOrScenarioError('*!')).toBe('refused');
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `${'abcdefghij'[i]}: &${'abcdefghij'[i]} [${Array(10)
          .fill(`*${'abcdefghij'[i - 1]}`)
          .join(', ')}]`,
      );
    expect(await loadsOrScenarioError(bomb.join('\n'))).toBe('refused');
  });

  it('SCENARIO_INVALID - a garbled value is reported at its line', async () => {
    const at = lines.findIndex((l) => l.includes('eui: 00-12-4B-00-00-00-01-01'));
    const mutated = [...lines];
    mutated[at] = '    eui: not-an-eui';
    const file = join(dir, 'line.yaml');
    writeFileSync(file, mutated.join('\n'));
    await expect(loadScenario(file)).rejects.toThrow(`${file}:${at + 1}:`);
  });
});
