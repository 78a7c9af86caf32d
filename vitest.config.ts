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
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      // One worker process runs file after file without a fresh module graph (isolate false): each
      // file re-importing the simulator cost more than the unit tests themselves (measured in
      // test/README.md). Unit files leave no global state behind: no vi.mock, no fake timers, no
      // process.env, and a spy is restored by the file that made it.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'] } },
    ],
  },
});
