import { createECDH, createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { euiFromBytes, parseEui } from '../../../../../../simulator/domain/eui.js';
import {
  deriveMacKey,
  ecdhSharedSecret,
  type MacKeyContext,
  macKdfOtherInfo,
} from '../../../../../../simulator/domain/gbcs/protection/mac-key-derivation.js';
import {
  CRA_FLAG,
  type GbcsMessageKind,
} from '../../../../../../simulator/domain/gbcs/protection/message-kind.js';
import { GbcsProtectionError } from '../../../../../../simulator/domain/gbcs/protection/protection-error.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function kaKeyPair(seed: Uint8Array | string) {
  const privateKey = new Uint8Array(createHash('sha256').update(seed).digest());
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(privateKey);
  return { privateKey, publicKey: new Uint8Array(ecdh.getPublicKey()) };
}

const eui = fc.uint8Array({ minLength: 8, maxLength: 8 }).map(euiFromBytes);
const kind = fc.constantFrom<GbcsMessageKind>('command', 'response', 'alert');
const counter = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const context: fc.Arbitrary<MacKeyContext> = fc.record({ originator: eui, recipient: eui, kind, counter });

/** A context and a copy of it with exactly one field set to a different value. */
const contextAndOneChange: fc.Arbitrary<[MacKeyContext, MacKeyContext, string]> = context.chain((base) =>
  fc
    .oneof(
      eui
        .filter((e) => e !== base.originator)
        .map((e) => [base, { ...base, originator: e }, 'originator'] as const),
      eui
        .filter((e) => e !== base.recipient)
        .map((e) => [base, { ...base, recipient: e }, 'recipient'] as const),
      kind.filter((k) => k !== base.kind).map((k) => [base, { ...base, kind: k }, 'kind'] as const),
      counter
        .filter((c) => c !== base.counter)
        .map((c) => [base, { ...base, counter: c }, 'counter'] as const),
    )
    .map(([a, b, field]): [MacKeyContext, MacKeyContext, string] => [a, b, field]),
);

const supplier = parseEui('90-B3-D5-1F-30-01-00-00');
const esme = parseEui('00-DB-12-34-56-78-90-A0');
const fixedZ = new Uint8Array(createHash('sha256').update('fixed Z').digest());

describe('MAC key derivation (DCC.md §8, PROTECTION.md §3–§4)', () => {
  it('DCC.md §8 - sender (own KA private, recipient KA public) and receiver (own KA private, sender KA public) derive the same key', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        context,
        (senderSeed, recipientSeed, ctx) => {
          const sender = kaKeyPair(senderSeed);
          const recipient = kaKeyPair(recipientSeed);
          const senderZ = ecdhSharedSecret(sender.privateKey, recipient.publicKey);
          const recipientZ = ecdhSharedSecret(recipient.privateKey, sender.publicKey);
          expect(hex(senderZ)).toBe(hex(recipientZ));
          expect(hex(deriveMacKey(senderZ, ctx))).toBe(hex(deriveMacKey(recipientZ, ctx)));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('DCC.md §8 - the key changes when any one of originator, recipient, kind or counter changes', () => {
    fc.assert(
      fc.property(contextAndOneChange, ([base, changed]) => {
        expect(hex(deriveMacKey(fixedZ, changed))).not.toBe(hex(deriveMacKey(fixedZ, base)));
      }),
      { numRuns: 500 },
    );
  });

  it('DCC.md §8 - the key changes when the shared secret changes (a different pair of parties)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), context, (z, ctx) => {
        fc.pre(hex(z) !== hex(fixedZ));
        expect(hex(deriveMacKey(z, ctx))).not.toBe(hex(deriveMacKey(fixedZ, ctx)));
      }),
    );
  });

  it('PROTECTION.md §4 - derivation is deterministic: same inputs give the same 16 bytes', () => {
    fc.assert(
      fc.property(context, (ctx) => {
        const key = deriveMacKey(fixedZ, ctx);
        expect(key).toBeInstanceOf(Uint8Array);
        expect(key.length).toBe(16);
        expect(hex(deriveMacKey(fixedZ, { ...ctx }))).toBe(hex(key));
      }),
    );
  });

  it('PROTECTION.md §4.1 - OtherInfo is AlgorithmID || originator || CRA flag || counter (big-endian) || recipient', () => {
    const ctx: MacKeyContext = {
      originator: supplier,
      recipient: esme,
      kind: 'response',
      counter: 0x0102030405060708n,
    };
    expect(hex(macKdfOtherInfo(ctx))).toBe(
      ['60857406080300', '90b3d51f30010000', '02', '0102030405060708', '00db1234567890a0'].join(''),
    );
    expect(CRA_FLAG).toEqual({ command: 1, response: 2, alert: 3 });
  });

  it('PROTECTION.md §4 - the key is the first 16 bytes of SHA-256(00000001 || Z || OtherInfo)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), context, (z, ctx) => {
        const digest = createHash('sha256')
          .update(Uint8Array.of(0, 0, 0, 1))
          .update(z)
          .update(macKdfOtherInfo(ctx))
          .digest();
        expect(hex(deriveMacKey(z, ctx))).toBe(hex(digest.subarray(0, 16)));
      }),
    );
  });

  it('PROTECTION.md §2 - a counter outside uint64, an unknown kind or a malformed EUI is a GBCS_INVALID_CONTEXT fault', () => {
    const ctx: MacKeyContext = { originator: supplier, recipient: esme, kind: 'command', counter: 1n };
    const bad: [Partial<Record<keyof MacKeyContext, unknown>>, RegExp][] = [
      [{ counter: -1n }, /counter must be a bigint in \[0, 2\^64 - 1\], got -1/],
      [{ counter: 2n ** 64n }, /counter must be a bigint in \[0, 2\^64 - 1\]/],
      [{ counter: 1 }, /counter must be a bigint/],
      [{ kind: 'precommand' }, /kind must be command, response or alert, got "precommand"/],
      [{ originator: '90b3d51f30010000' }, /originator must be an EUI-64/],
      [{ recipient: '00-DB-12' }, /recipient must be an EUI-64/],
    ];
    for (const [change, message] of bad) {
      const broken = { ...ctx, ...change } as MacKeyContext;
      expect(() => deriveMacKey(fixedZ, broken)).toThrow(message);
      expect(() => deriveMacKey(fixedZ, broken)).toThrow(GbcsProtectionError);
    }
  });

  it('PROTECTION.md §4 - a shared secret that is not 32 bytes is a GBCS_INVALID_SHARED_SECRET fault', () => {
    const ctx: MacKeyContext = { originator: supplier, recipient: esme, kind: 'alert', counter: 0n };
    for (const length of [0, 31, 33, 65]) {
      let error: unknown;
      try {
        deriveMacKey(new Uint8Array(length), ctx);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(GbcsProtectionError);
      expect((error as GbcsProtectionError).code).toBe('GBCS_INVALID_SHARED_SECRET');
      expect((error as GbcsProtectionError).message).toContain(`must be 32 bytes, got ${length} bytes`);
    }
  });
});
