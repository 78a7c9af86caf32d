import { z } from 'zod';
import { REPLACEMENT_MODES } from '../device/credential-replacement.js';
import { updateCredentials } from '../device/future-dated-credentials.js';
import { REMOTE_PARTY_ROLE_CODES, type RemotePartyRole } from '../smki/remote-party-roles.js';
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

const ROLES = Object.keys(REMOTE_PARTY_ROLE_CODES) as [RemotePartyRole, ...RemotePartyRole[]];
/** A DER certificate: bytes on trialsim's CBOR envelope, base64 in DUIS XML (duis-request-bodies.ts). */
const der = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'a DER certificate (bytes)');

/**
 * What the User asks for, as DUIS's UpdateSecurityCredentialsKRP carries it (DUIS.md §4): the
 * replacement certificates whole (SMKI DER), each with the cell it goes into, the floor for the
 * new party's counters, and the certification path. The DCC puts them into CS02b unread; the
 * device reads each certificate's subject and key (GBCS.md §7.8), so a bad certificate is the
 * device's badCertificate, not a DCC refusal.
 */
export const updateSecurityCredentialsRequestSchema = z
  .object({
    replacementMode: z.enum(REPLACEMENT_MODES),
    replacements: z
      .array(
        z
          .object({
            role: z.enum(ROLES),
            keyUsage: z.enum(['digitalSignature', 'keyAgreement']),
            cellUsage: z.enum(['management', 'prepaymentTopUp']).default('management'),
            certificate: der,
            originatorCounterFloor: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(16),
    certificationPath: z.array(der).max(3).default([]),
    /** DUIS ApplyTimeBasedCPVChecks: CS02b's [1] when false (GBCS.md §7.8). */
    applyTimeBasedCpvChecks: z.boolean().default(true),
    /**
     * DUIS ExecutionDateTime (FutureDatedAbstractType): CS02b's execution date-time; the device
     * holds the command until then and reports it in 0x00CB; 9999-12-31T23:59:59Z cancels
     * (GBCS.md §7.8, future-dated-credentials.ts).
     */
    executionDateTime: z.string().datetime({ offset: true }).optional(),
  })
  .strict();

/**
 * 6.15.1 Update Security Credentials (KRP): CS02b, signed by the party replacing its own
 * cells. The device applies the replacements all or nothing (credential-replacement.ts), at once
 * or, future-dated, at the execution date-time (future-dated-credentials.ts).
 */
export const updateSecurityCredentials: ServiceModule = {
  srv: '6.15.1',
  requestBody: updateSecurityCredentialsRequestSchema,
  gbcs: (_deviceType, body) => BY_MODE[String(body.replacementMode)] ?? otherMode,
  dcc: {},
  device: {
    critical: true,
    authority: ['supplier', 'networkOperator'],
    execute: updateCredentials,
  },
};
