import { describeSuiteOverDuisPart } from '../../support/suite-over-duis.js';
import { SUITE_OVER_DUIS_PARTS } from './suite-over-duis-parts.js';

describeSuiteOverDuisPart(SUITE_OVER_DUIS_PARTS['share-2']);
