import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LoadedScenario } from '../../../../harness/scenario/scenario-loader.js';
import { parseShard, selectScenarios, shardOf } from '../../../../harness/suite/selection.js';

const scenario = (id: string, tags: string[] = []) =>
  ({ definition: { scenario: id, title: `title of ${id}`, tags } }) as unknown as LoadedScenario;

describe('--shard i/n', () => {
  it('n shards together hold every scenario exactly once, in suite order', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (items, n) => {
        const joined = Array.from({ length: n }, (_, i) => shardOf(items, { index: i + 1, count: n })).flat();
        expect(joined).toEqual(items);
      }),
    );
  });

  it('shard sizes differ by at most one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 16 }), (size, n) => {
        const items = Array.from({ length: size }, (_, i) => i);
        const sizes = Array.from({ length: n }, (_, i) => shardOf(items, { index: i + 1, count: n }).length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it.each(['0/2', '3/2', '1/0', 'a/b', '1', '1/2/3'])('refuses %s with a usage error', (text) => {
    expect(() => parseShard(text)).toThrow(/--shard .*give i\/n/);
  });

  it('reads 2/4', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
  });
});

describe('a selection of zero scenarios', () => {
  const suite = [scenario('commissioning', ['design']), scenario('bad-signature', ['attack'])];

  it('is a usage error saying what was found and matched', () => {
    expect(() => selectScenarios(suite, { filter: 'nothing' })).toThrow(
      'no scenarios selected (2 scenario files found, 0 match --filter "nothing"); pass --pass-with-no-scenarios if that is expected',
    );
  });

  it('passes with --pass-with-no-scenarios', () => {
    expect(selectScenarios(suite, { filter: 'nothing', passWithNoScenarios: true })).toEqual([]);
  });

  it('an empty shard is one too', () => {
    expect(() => selectScenarios(suite, { shard: { index: 1, count: 3 } })).toThrow(/shard 1\/3 has none/);
  });

  it('the filter matches id, title or tag, case-insensitive', () => {
    expect(selectScenarios(suite, { filter: 'ATTACK' }).map((s) => s.definition.scenario)).toEqual([
      'bad-signature',
    ]);
  });
});
