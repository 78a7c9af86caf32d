import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Eui } from '../../../../../../simulator/domain/eui.js';
import { GbcsDecodeError } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-codec-error.js';
import { decodeGbcsMessage } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import { inspectGbcsMessage } from '../../../../../../simulator/domain/gbcs/inspect/inspect-message.js';
import { decodeOtaUpgradeImage } from '../../../../../../simulator/domain/gbcs/ota/ota-upgrade-image.js';
import {
  decodeDlmsAlert,
  decodeFdra,
} from '../../../../../../simulator/domain/gbcs/payloads/alerts/dlms-alerts.js';
import { decodeCcs08Alert } from '../../../../../../simulator/domain/gbcs/payloads/asn1/ccs08.js';
import { readCertificateSubject } from '../../../../../../simulator/domain/gbcs/payloads/asn1/certificate-subject.js';
import {
  decodeCs02bCommand,
  decodeCs02bResponse,
  decodeFutureDatedCredentialsAlert,
} from '../../../../../../simulator/domain/gbcs/payloads/asn1/cs02b.js';
import {
  decodeCs06Command,
  decodeCs06Response,
  decodeFutureDatedActivationAlert,
} from '../../../../../../simulator/domain/gbcs/payloads/asn1/cs06.js';
import {
  decodeCs07Response,
  decodeCs08Response,
} from '../../../../../../simulator/domain/gbcs/payloads/asn1/cs07-cs08.js';
import {
  decodeCcs01Ccs02Response,
  decodeCcs01Command,
  decodeCcs02Command,
} from '../../../../../../simulator/domain/gbcs/payloads/chf/ccs01-ccs02.js';
import {
  decodeCcs06Command,
  decodeCcs06Response,
} from '../../../../../../simulator/domain/gbcs/payloads/chf/ccs06.js';
import { decodeDlmsApdu } from '../../../../../../simulator/domain/gbcs/payloads/dlms/dlms-apdu.js';
import {
  decodeEcs17bCommand,
  decodeEcs17bResponse,
} from '../../../../../../simulator/domain/gbcs/payloads/esme/ecs17b.js';
import {
  decodeEcs35Command,
  decodeEcs35Response,
} from '../../../../../../simulator/domain/gbcs/payloads/esme/ecs35.js';
import {
  decodeEcs52Command,
  decodeEcs52Response,
} from '../../../../../../simulator/domain/gbcs/payloads/esme/ecs52.js';
import {
  decodeEcs70Command,
  decodeEcs70Response,
} from '../../../../../../simulator/domain/gbcs/payloads/esme/ecs70.js';
import { decryptProtectedAttributes } from '../../../../../../simulator/domain/gbcs/protection/payload-encryption.js';
import { GBCS_VECTORS, hex, rtdsKeyStore, rtdsSamples } from '../gbcs-fixtures.js';
import { mutated } from './gbcs-arbitraries.js';

/** The rule: any bytes either decode or fail with GbcsDecodeError at an offset inside (or just past) the input. */
function decodesOrFailsWithOffset(
  decode: (bytes: Uint8Array, base: number) => unknown,
  bytes: Uint8Array,
  base = 0,
): void {
  try {
    decode(bytes, base);
  } catch (err) {
    if (!(err instanceof GbcsDecodeError)) throw err;
    expect(err.offset).toBeGreaterThanOrEqual(base);
    expect(err.offset).toBeLessThanOrEqual(base + bytes.length);
    expect(err.message).toMatch(/^GBCS malformed at byte offset \d+ \(/);
    // decodeGbcsMessage turns a decoder bug into this; the fuzz must never find one.
    expect(err.message).not.toMatch(/internal decoder fault/);
  }
}

const messages = rtdsSamples().map((s) => s.bytes);
const contents = messages.map((m) => decodeGbcsMessage(m).apdu.content);
const der = contents.filter((c) => c[0] === 0x30 || c[0] === 0x05);
const runs = { numRuns: 300 };
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

const PAYLOAD_DECODERS: Record<string, (bytes: Uint8Array, base: number) => unknown> = {
  decodeDlmsApdu,
  decodeEcs52Command,
  decodeEcs52Response,
  decodeEcs70Command,
  decodeEcs70Response,
  decodeEcs35Command,
  decodeEcs35Response,
  decodeEcs17bCommand,
  decodeEcs17bResponse: (b, o) => decodeEcs17bResponse(b, o, new Uint8Array(32).fill(1)),
  decodeCcs01Command,
  decodeCcs02Command,
  decodeCcs01Ccs02Response,
  decodeCcs06Command,
  decodeCcs06Response,
  decodeDlmsAlert,
  decodeFdra,
  decodeCs06Command,
  decodeCs06Response,
  decodeFutureDatedActivationAlert,
  decodeCs07Response,
  decodeCs08Response,
  decodeCcs08Alert,
  decodeCs02bCommand,
  decodeCs02bResponse,
  decodeFutureDatedCredentialsAlert,
  decryptProtectedAttributes: (b, o) =>
    decryptProtectedAttributes(
      b,
      new Uint8Array(32),
      {
        device: '00-DB-12-34-56-78-90-A0' as Eui,
        remoteParty: '90-B3-D5-1F-30-01-00-00' as Eui,
        counter: 1n,
      },
      o,
    ),
};

describe('fuzz: every GBCS decoder either decodes or fails with its own error carrying an offset', () => {
  it('decodeGbcsMessage on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => decodesOrFailsWithOffset(decodeGbcsMessage, b)),
      runs,
    );
  });

  it('decodeGbcsMessage on edited RTDS messages', () => {
    fc.assert(
      fc.property(mutated(messages), (b) => decodesOrFailsWithOffset(decodeGbcsMessage, b)),
      { numRuns: 1000 },
    );
  });

  it('decodeGbcsMessage on DD/DF-prefixed noise', () => {
    const prefixed = fc.tuple(
      fc.constantFrom(hex('DD000000000000'), hex('DF09')),
      fc.uint8Array({ maxLength: 200 }),
    );
    fc.assert(
      fc.property(prefixed, ([p, rest]) =>
        decodesOrFailsWithOffset(decodeGbcsMessage, Uint8Array.from([...p, ...rest])),
      ),
      runs,
    );
  });

  it('the decoder CLI core (header, payload, keys) on edited RTDS messages', () => {
    const keys = rtdsKeyStore();
    fc.assert(
      fc.property(mutated(messages), (b) =>
        decodesOrFailsWithOffset(
          (bytes) => inspectGbcsMessage(bytes, { keys, acb: '90-B3-D5-1F-30-00-00-02' as Eui }),
          b,
        ),
      ),
      { numRuns: 500 },
    );
  });

  for (const [name, decode] of Object.entries(PAYLOAD_DECODERS)) {
    it(`${name} on random and edited payloads`, () => {
      const input = fc.oneof(fc.uint8Array({ maxLength: 120 }), mutated(contents), mutated(der));
      fc.assert(
        fc.property(input, fc.nat(1000), (b, base) => decodesOrFailsWithOffset(decode, b, base)),
        runs,
      );
    });
  }

  it('readCertificateSubject (CS02b certificates) on edited RTDS certificates: a subject or none, never a throw', () => {
    const dir = join(GBCS_VECTORS, 'keys');
    const certificates = readdirSync(dir)
      .filter((f) => f.endsWith('.pem'))
      .flatMap((f) => [...readFileSync(join(dir, f), 'latin1').matchAll(PEM_CERTIFICATE)])
      .map((m) => Uint8Array.from(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64')));
    expect(certificates.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.oneof(mutated(certificates), fc.uint8Array({ maxLength: 300 })), (b) => {
        const subject = readCertificateSubject(b);
        if (subject !== undefined) expect(subject.publicKey).toHaveLength(65);
      }),
      runs,
    );
  });

  it('decodeOtaUpgradeImage on random and OTA-prefixed bytes', () => {
    const prefixed = fc
      .uint8Array({ maxLength: 200 })
      .map((rest) => Uint8Array.from([0x1e, 0xf1, 0xee, 0x0b, 0x00, 0x01, 0x3c, 0x00, 0x04, 0x00, ...rest]));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), prefixed), (b) =>
        decodesOrFailsWithOffset(decodeOtaUpgradeImage, b),
      ),
      runs,
    );
  });
});
