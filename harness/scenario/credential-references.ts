import type { SimStack } from '../stack/sim-stack.js';

/**
 * Lets a scenario's `send` of 6.15.1 name the certificates by party, as `inject`'s `credentials`
 * does: YAML cannot hold DER. `install: <party>` in a 6.15.1 body becomes that party's DS and
 * KA certificates from the run's SMKI as the replacements of its own role's management cells,
 * with the Issuing CA as the certification path, and the mode that party's role replaces its own
 * cells with (supplierBySupplier, networkOperatorByNetworkOperator) unless the body names one.
 * Everything else in the body (executionDateTime, applyTimeBasedCpvChecks) passes through.
 */
const SELF_MODE: Readonly<Record<string, string>> = {
  supplier: 'supplierBySupplier',
  networkOperator: 'networkOperatorByNetworkOperator',
};

export function resolveCredentialReferences(
  srv: string,
  body: Record<string, unknown>,
  stack: SimStack,
): Record<string, unknown> {
  const { install, ...rest } = body;
  if (srv !== '6.15.1' || typeof install !== 'string') return body;
  const org = stack.pki.organisation(install);
  return {
    replacementMode: SELF_MODE[org.role] ?? org.role,
    ...rest,
    replacements: [
      { role: org.role, keyUsage: 'digitalSignature', certificate: org.ds.der },
      { role: org.role, keyUsage: 'keyAgreement', certificate: org.ka.der },
    ],
    certificationPath: [stack.pki.issuingCa.der],
  };
}
