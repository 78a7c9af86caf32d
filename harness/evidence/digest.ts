import { createHash } from 'node:crypto';

/** SHA-256 as lower-case hex: the digest form in the manifest, the trace chain and in-toto. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
