import { p256 } from '@noble/curves/nist.js';
import { signDeterministic, verifySignature } from '../../simulator/domain/index.js';
import { canonicalJson } from '../results/canonical-json.js';
import { keyIdOf } from './signing-key.js';

/**
 * DSSE (Dead Simple Signing Envelope, secure-systems-lab/dsse, protocol v1) around an in-toto
 * Statement v1. The signature is over PAE(payloadType, payload), never over the JSON, so no
 * canonicalisation question arises at verification: the verifier checks the exact bytes signed.
 * ECDSA P-256/SHA-256 with RFC 6979 nonces (same key and bundle → same envelope), encoded as
 * ASN.1 DER, the form sigstore/cosign use for ECDSA in DSSE.
 */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const EVIDENCE_PREDICATE_TYPE = 'urn:trialsim:predicate:evidence-bundle:v1';

export interface InTotoSubject {
  readonly name: string;
  readonly digest: { readonly sha256: string };
}

export interface InTotoStatement<P> {
  readonly _type: typeof IN_TOTO_STATEMENT_TYPE;
  readonly subject: readonly InTotoSubject[];
  readonly predicateType: string;
  readonly predicate: P;
}

export interface DsseEnvelope {
  readonly payloadType: string;
  /** Base64 of the payload bytes. */
  readonly payload: string;
  readonly signatures: readonly { readonly keyid: string; readonly sig: string }[];
}

/** DSSE v1 Pre-Authentication Encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body. */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'utf8'),
    type,
    Buffer.from(` ${payload.length} `, 'utf8'),
    payload,
  ]);
}

export function signStatement<P>(
  statement: InTotoStatement<P>,
  key: { readonly privateKey: Uint8Array; readonly publicKey: Uint8Array },
): DsseEnvelope {
  const payload = Buffer.from(canonicalJson(statement), 'utf8');
  const compact = signDeterministic(pae(IN_TOTO_PAYLOAD_TYPE, payload), key.privateKey);
  const der = p256.Signature.fromBytes(compact, 'compact').toBytes('der');
  return {
    payloadType: IN_TOTO_PAYLOAD_TYPE,
    payload: payload.toString('base64'),
    signatures: [{ keyid: keyIdOf(key.publicKey), sig: Buffer.from(der).toString('base64') }],
  };
}

export type EnvelopeCheck =
  | { readonly ok: true; readonly statement: InTotoStatement<unknown>; readonly keyid: string }
  | { readonly ok: false; readonly problem: string };

/** Checks the envelope's signature with `publicKey` and returns the statement it signs. */
export function openEnvelope(envelope: unknown, publicKey: Uint8Array): EnvelopeCheck {
  const env = envelope as Partial<DsseEnvelope> | null;
  if (
    env === null ||
    typeof env !== 'object' ||
    typeof env.payload !== 'string' ||
    !Array.isArray(env.signatures)
  ) {
    return { ok: false, problem: 'not a DSSE envelope (payload or signatures missing)' };
  }
  if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    return {
      ok: false,
      problem: `payloadType is ${String(env.payloadType)}, expected ${IN_TOTO_PAYLOAD_TYPE}`,
    };
  }
  const payload = Buffer.from(env.payload, 'base64');
  const message = pae(env.payloadType, payload);
  const keyid = keyIdOf(publicKey);
  const verified = env.signatures.find((s) => {
    if (typeof s?.sig !== 'string') return false;
    try {
      const compact = p256.Signature.fromBytes(Buffer.from(s.sig, 'base64'), 'der').toBytes('compact');
      return verifySignature(message, compact, publicKey);
    } catch {
      return false;
    }
  });
  if (verified === undefined) {
    const ids = env.signatures.map((s) => s?.keyid).join(', ');
    return {
      ok: false,
      problem: ids.includes(keyid)
        ? 'the signature does not verify: the signed statement or the signature was altered'
        : `no signature by key ${keyid} (the envelope names ${ids || 'no key'})`,
    };
  }
  if (verified.keyid !== keyid) {
    return {
      ok: false,
      problem: `the signature verifies but its keyid was altered (${String(verified.keyid)}, the key is ${keyid})`,
    };
  }
  let statement: InTotoStatement<unknown>;
  try {
    statement = JSON.parse(payload.toString('utf8')) as InTotoStatement<unknown>;
  } catch {
    return { ok: false, problem: 'the signed payload is not JSON' };
  }
  if (statement._type !== IN_TOTO_STATEMENT_TYPE || !Array.isArray(statement.subject)) {
    return { ok: false, problem: 'the signed payload is not an in-toto Statement v1' };
  }
  return { ok: true, statement, keyid };
}
