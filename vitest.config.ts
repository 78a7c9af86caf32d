import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Three tiers, one project each (test/README.md says which test goes where):
// `npm run test:unit`, `npm run test:integration`, `npm run test:e2e`; `vitest run` runs all three.
export default defineConfig({
  test: {
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: one worker on the 2-core machine, so
    // the suite ran file after file. Most test time is waiting on sockets, brokers and child
    // processes, so a worker per core keeps both cores busy (test/README.md records the times).
    maxWorkers: Math.max(2, availableParallelism()),
    // A worker process runs file after file on one module graph (isolate false) instead of a fresh
    // process per file: each of the 215 files re-importing the simulator (zod, aedes, mqtt, x509,
    // libxml2-wasm ...) cost more CPU than the unit tests themselves (test/README.md). No test file
    // leaves global state behind: no vi.mock, no fake timers, no stubbed globals; a spy, a
    // process.env change or a stdout capture is undone by the test or file that made it.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'] } },
    ],
  },
});
