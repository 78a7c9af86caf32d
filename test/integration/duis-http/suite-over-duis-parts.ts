import type { SuitePart } from '../../support/suite-over-duis.js';

/**
 * The parts the suite-over-DUIS comparison is cut into, one test file each
 * (suite-over-duis-<name>.test.ts): full-trial-100 alone, the other scenarios in three shares.
 */
export const SUITE_OVER_DUIS_PARTS = {
  'full-trial-100': { scenario: 'full-trial-100' },
  'share-1': { share: 1, of: 3 },
  'share-2': { share: 2, of: 3 },
  'share-3': { share: 3, of: 3 },
} as const satisfies Record<string, SuitePart>;
