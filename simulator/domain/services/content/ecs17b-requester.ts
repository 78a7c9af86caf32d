import type { Eui } from '../../eui.js';
import { ByteReader } from '../../gbcs/apdu/byte-reader.js';
import { GbcsDecodeError } from '../../gbcs/apdu/gbcs-codec-error.js';
import { readDlmsData } from '../../gbcs/payloads/dlms/dlms-data.js';
import { ecdhSharedSecret } from '../../gbcs/protection/ecdh-shared-secret.js';
import { decryptProtectedAttributes } from '../../gbcs/protection/payload-encryption.js';
import type { SharedSecretSource } from '../../gbcs/protection/shared-secret-cache.js';
import { readRegisters } from './read-import-registers-content.js';

/**
 * The requester's side of 4.1.1 (GBCS.md §4.3): the DCC relays the ESME's protected attributes
 * unread (it holds no User's KA private key: ecs17bContent.decodeResponse), and the User who
 * asked opens them with Z of its own KA private key and the ESME's KA public key from the SMKI
 * repository. What it cannot open is a value naming the rule, never a throw: the response still
 * reaches whoever waits for it, with the reason.
 */
export interface RequesterKeys {
  /** The party reading (the DUIS User). */
  readonly self: Eui;
  /** Its KA private key; undefined when the party holds none (a remote party without its key file). */
  readonly kaPrivateKey: Uint8Array | undefined;
  /** The ESME's KA public key as the SMKI repository holds it; undefined when it holds none. */
  devicePublicKey(device: Eui): Uint8Array | undefined;
  readonly secrets?: SharedSecretSource;
}

export type Ecs17bRefusalRule =
  | 'ECS17B-NOT-FOR-THIS-PARTY'
  | 'ECS17B-NO-OWN-KA-KEY'
  | 'ECS17B-NO-DEVICE-KA-KEY'
  | 'ECS17B-BAD-KEY'
  | 'ECS17B-MALFORMED'
  | 'ECS17B-TAG';

export type OpenedEcs17b =
  | { readonly opened: true; readonly body: Record<string, unknown> }
  | { readonly opened: false; readonly rule: Ecs17bRefusalRule; readonly reason: string };

/** Whether a 4.1.1 response body is the relayed, still encrypted ECS17b form. */
export function isRelayedEcs17b(body: Readonly<Record<string, unknown>> | undefined): boolean {
  return body?.status === 'success' && typeof body.protectedAttributes === 'string';
}

const HEX = /^(?:[0-9a-f]{2})+$/;
const DECIMAL = /^\d{1,20}$/;

/**
 * The registers of a relayed ECS17b body: `{ status: 'success', importRegisterWh }`, the body a
 * trialsim-profile 4.1.1 used to give, or the refusal with its rule.
 */
export function openRelayedEcs17b(
  body: Readonly<Record<string, unknown>>,
  keys: RequesterKeys,
): OpenedEcs17b {
  const refuse = (rule: Ecs17bRefusalRule, reason: string): OpenedEcs17b => ({ opened: false, rule, reason });
  const { esme, encryptedFor, protectionCounter, protectedAttributes } = body;
  if (
    typeof esme !== 'string' ||
    typeof encryptedFor !== 'string' ||
    typeof protectionCounter !== 'string' ||
    !DECIMAL.test(protectionCounter) ||
    typeof protectedAttributes !== 'string' ||
    !HEX.test(protectedAttributes)
  ) {
    return refuse(
      'ECS17B-MALFORMED',
      'the relayed 4.1.1 body lacks the ESME, the requester, the protection counter or hex protected attributes',
    );
  }
  const device = esme as Eui;
  if (encryptedFor !== keys.self) {
    return refuse(
      'ECS17B-NOT-FOR-THIS-PARTY',
      `the ESME ${device} encrypted these registers for ${encryptedFor}, not for ${keys.self}`,
    );
  }
  if (keys.kaPrivateKey === undefined)
    return refuse(
      'ECS17B-NO-OWN-KA-KEY',
      `${keys.self} holds no KA private key to open ${device}'s registers`,
    );
  const peer = keys.devicePublicKey(device);
  if (peer === undefined)
    return refuse('ECS17B-NO-DEVICE-KA-KEY', `the SMKI repository holds no KA certificate for ${device}`);
  let z: Uint8Array;
  try {
    z = keys.secrets?.sharedSecret(keys.kaPrivateKey, peer) ?? ecdhSharedSecret(keys.kaPrivateKey, peer);
  } catch (err) {
    return refuse('ECS17B-BAD-KEY', `no shared secret with ${device}: ${(err as Error).message}`);
  }
  try {
    const plaintext = decryptProtectedAttributes(Buffer.from(protectedAttributes, 'hex'), z, {
      device,
      remoteParty: keys.self,
      counter: BigInt(protectionCounter),
    });
    if (plaintext === null) {
      return refuse(
        'ECS17B-TAG',
        `the protected attributes from ${device} do not verify under Z of ${keys.self}'s and ${device}'s KA keys (another key, or altered bytes)`,
      );
    }
    const reader: ByteReader = new ByteReader(plaintext, 0);
    const registers = readDlmsData(reader, 'decrypted registers');
    reader.end('decrypted registers');
    const { importRegisterWh } = readRegisters(registers, 0);
    if (importRegisterWh === undefined)
      return refuse('ECS17B-MALFORMED', `the registers from ${device} hold no Wh reading`);
    return { opened: true, body: { status: 'success', importRegisterWh } };
  } catch (err) {
    if (err instanceof GbcsDecodeError) return refuse('ECS17B-MALFORMED', err.message);
    throw err;
  }
}
