import { credentialReplacementBodySchema, replaceCredentials } from '../device/credential-replacement.js';
import { gbcsUseCase, type MappedUseCase, noGbcsCommand } from './gbcs-mapping.js';
import type { ServiceModule } from './service-module.js';

/** CS02b's message code is 0x0100 plus the credentials replacement mode (GBCS.md §3). */
const BY_MODE: Readonly<Record<string, MappedUseCase>> = {
  supplierBySupplier: gbcsUseCase(0x0102),
  networkOperatorByNetworkOperator: gbcsUseCase(0x0103),
};
const otherMode = noGbcsCommand(
  'trialsim maps the CS02b modes supplierBySupplier and networkOperatorByNetworkOperator only',
);

/**
 * 6.15.1 Update Security Credentials (KRP): CS02b, signed by the party replacing its own
 * cells. The device applies the replacements all or nothing (credential-replacement.ts).
 */
export const updateSecurityCredentials: ServiceModule = {
  srv: '6.15.1',
  requestBody: credentialReplacementBodySchema,
  gbcs: (_deviceType, body) => BY_MODE[String(body.replacementMode)] ?? otherMode,
  dcc: {},
  device: {
    critical: true,
    authority: ['supplier', 'networkOperator'],
    execute: replaceCredentials,
  },
};
