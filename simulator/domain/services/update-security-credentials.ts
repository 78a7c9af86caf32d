import { credentialReplacementBodySchema, replaceCredentials } from '../device/credential-replacement.js';
import { noGbcsCommand, useCase } from './gbcs-mapping.js';
import type { ServiceModule } from './service-module.js';

/** CS02b's message code is 0x0100 plus the credentials replacement mode (GBCS.md §3). */
const BY_MODE: Readonly<Record<string, ReturnType<typeof useCase>>> = {
  supplierBySupplier: useCase('CS02b', 0x0102, 'ASN.1', { critical: true }),
  networkOperatorByNetworkOperator: useCase('CS02b', 0x0103, 'ASN.1', { critical: true }),
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
