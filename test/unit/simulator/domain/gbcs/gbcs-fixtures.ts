import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildKeyStore,
  type GbcsKeyStore,
} from '../../../../../simulator/domain/gbcs/keystore/gbcs-keystore.js';

/**
 * The GBCS vectors copied into fixtures/test-vectors/gbcs/ (origin in its README.md): the
 * §18.4 vector, the RTDS 4.5.0 samples and the published keys that check them.
 */
export const GBCS_VECTORS = join(import.meta.dirname, '../../../../../fixtures/test-vectors/gbcs');
const RTDS = join(GBCS_VECTORS, 'rtds-sample');

export interface RtdsExpected {
  readonly header: {
    readonly frame: string;
    readonly craFlag: number;
    readonly originatorCounter: string;
    readonly originatorSystemTitle: string;
    readonly recipientSystemTitle: string;
    readonly dateTime: string | null;
    readonly otherInformationLength: number;
    readonly messageCode: string;
    readonly supplementaryRemotePartyId: string | null;
    readonly supplementaryRemotePartyCounter: string | null;
    readonly contentLength: number;
    readonly signatureField: string;
  };
  readonly mac?: { readonly K: string; readonly IV: string; readonly mac: string };
  readonly signature?: { readonly signedLength: number };
  readonly payloadEncryption?: {
    readonly otherInfo: string;
    readonly K: string;
    readonly ciphertext: string;
    readonly tag: string;
    readonly plaintext: string;
  };
}

export interface RtdsSample {
  /** `11.2_ECS52/ECS52_11.2_SUCCESS_COMMAND_GBCS.HEX` */
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly expected: RtdsExpected;
}

const expected = JSON.parse(readFileSync(join(RTDS, 'expected.json'), 'utf8')) as {
  messages: Record<string, RtdsExpected>;
};

export function rtdsSamples(): RtdsSample[] {
  const samples: RtdsSample[] = [];
  for (const folder of readdirSync(RTDS, { withFileTypes: true }).filter((e) => e.isDirectory())) {
    for (const file of readdirSync(join(RTDS, folder.name)).filter((f) => f.endsWith('.HEX'))) {
      const name = `${folder.name}/${file}`;
      const entry = expected.messages[name];
      if (entry === undefined) throw new Error(`no expected.json entry for ${name}`);
      const hex = readFileSync(join(RTDS, name), 'utf8').trim();
      samples.push({ name, bytes: Uint8Array.from(Buffer.from(hex, 'hex')), expected: entry });
    }
  }
  return samples.sort((a, b) => a.name.localeCompare(b.name));
}

export function rtdsSample(suffix: string): RtdsSample {
  const sample = rtdsSamples().find((s) => s.name.endsWith(suffix));
  if (sample === undefined) throw new Error(`no RTDS sample ending ${suffix}`);
  return sample;
}

export function rtdsKeyStore(): GbcsKeyStore {
  const dir = join(GBCS_VECTORS, 'keys');
  return buildKeyStore(
    readdirSync(dir)
      .filter((f) => f.endsWith('.pem') || f.endsWith('.key'))
      .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') })),
  );
}

export function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
