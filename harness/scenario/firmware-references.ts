import type { SimStack } from '../stack/sim-stack.js';
import { loadFirmwareImage } from './firmware-fixtures.js';

/**
 * Lets a scenario's `send` name firmware the way a person would. YAML cannot hold bytes, so:
 * - `firmwareImage: <fixture>` in an 11.1 body becomes the image bytes (+ its firmwareVersion);
 *   in an 11.3 body, the image's 32-byte hash;
 * - `imageHash: <64 hex digits>` in an 11.3 body becomes those 32 bytes;
 * - `deviceIds` in an 11.1 body may use scenario device ids (`esme1`) as well as EUIs.
 */
export async function resolveFirmwareReferences(
  srv: string,
  body: Record<string, unknown>,
  stack: SimStack,
): Promise<Record<string, unknown>> {
  if (srv !== '11.1' && srv !== '11.3') return body;
  const { firmwareImage, ...rest } = body;
  const out: Record<string, unknown> = { ...rest };
  if (typeof firmwareImage === 'string') {
    const image = await loadFirmwareImage(firmwareImage, stack.pki);
    if (srv === '11.1') {
      out.image = image.bytes;
      out.firmwareVersion ??= image.header.firmwareVersion;
    } else {
      out.imageHash ??= Buffer.from(image.hash, 'hex');
    }
  }
  if (typeof out.imageHash === 'string' && /^[0-9a-fA-F]{64}$/.test(out.imageHash)) {
    out.imageHash = Uint8Array.from(Buffer.from(out.imageHash, 'hex'));
  }
  if (out.imageHash instanceof Buffer) out.imageHash = Uint8Array.from(out.imageHash);
  if (Array.isArray(out.deviceIds)) {
    out.deviceIds = out.deviceIds.map((id) =>
      typeof id === 'string' && stack.deviceSpecs.has(id) ? stack.deviceSpec(id).eui : id,
    );
  }
  return out;
}
