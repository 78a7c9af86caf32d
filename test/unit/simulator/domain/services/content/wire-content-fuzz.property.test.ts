import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { cborContentCodec } from '../../../../../../simulator/adapters/wire/envelope.js';
import type { Eui } from '../../../../../../simulator/domain/eui.js';
import { GbcsDecodeError } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-codec-error.js';
import {
  gbcsAlertContentFor,
  gbcsContentFor,
  readAlertContent,
  readCommandContent,
  readResponseContent,
  writeAlertContent,
  writeCommandContent,
  writeResponseContent,
} from '../../../../../../simulator/domain/services/content/wire-content.js';
import { deriveKeyPair } from '../../../../../../simulator/domain/smki/key-pair.js';
import { organisationCertificate } from '../../../../../support/organisation-certificates.js';

const COMMAND_CODES = [
  0x0059, 0x0129, 0x0062, 0x0027, 0x0048, 0x0049, 0x0001, 0x0002, 0x010f, 0x0012, 0x0013, 0x0102, 0x0107,
];

// 6.15.1's and 6.23's CS02b embed whole certificates; issuing them is asynchronous.
let certificate: Uint8Array = new Uint8Array();
beforeAll(async () => {
  certificate = await organisationCertificate(
    { eui: '90-B3-D5-1F-30-03-00-00' as Eui, role: 'supplier' },
    'digitalSignature',
    deriveKeyPair('test/wire-content-fuzz', 'supplier-b/ds'),
  );
});
const ALERT_CODES = [0x1000, 0x00ce, 0x0128, 0x00ca];

/** Valid content of each use case, to mutate (as the DCC and a device write it). */
function samples(): { code: number; kind: 'command' | 'response' | 'alert'; bytes: Uint8Array }[] {
  const ctx = {
    counter: 0x123456n,
    now: Date.parse('2027-01-04T09:00:00Z'),
    deviceTypeOf: () => 'ESME' as const,
    // ECS17b names its parties and encrypts under Z (any 32 bytes will do to write it).
    originator: '00-12-4B-00-00-00-01-01' as Eui,
    recipient: '90-B3-D5-1F-30-01-00-00' as Eui,
    sharedSecretWith: () => new Uint8Array(32).fill(7),
  };
  const device = '00-12-4B-00-00-00-01-01';
  const commandBody: Record<number, Record<string, unknown>> = {
    72: { log: 'event' },
    73: { log: 'security' },
    1: { action: 'add', deviceId: device },
    2: { action: 'remove', deviceId: device },
    18: { imageHash: 'ab'.repeat(32), executionDateTime: '2027-01-05T02:00:00Z' },
    258: {
      replacementMode: 'supplierBySupplier',
      replacements: [{ role: 'supplier', keyUsage: 'keyAgreement', certificate, originatorCounterFloor: 11 }],
      certificationPath: [certificate],
      applyTimeBasedCpvChecks: false,
    },
    263: {
      replacementMode: 'supplierByTransCoS',
      replacements: [
        { role: 'supplier', keyUsage: 'digitalSignature', certificate, originatorCounterFloor: 9 },
      ],
      certificationPath: [certificate],
    },
  };
  const responseBody: Record<number, Record<string, unknown>> = {
    39: { status: 'success', importRegisterWh: 9600 },
    72: { status: 'success', log: [{ at: ctx.now, code: '0x8F3D', detail: 'x' }] },
    73: { status: 'success', log: [] },
    271: { status: 'success', deviceLog: [device] },
    19: { status: 'success', deviceLog: [device, '00-DB-12-34-56-78-90-97'] },
    263: {
      status: 'success',
      replacementMode: 'supplierByTransCoS',
      results: [
        {
          role: 'supplier',
          keyUsage: 'keyAgreement',
          cellUsage: 'management',
          eui: '90-B3-D5-1F-30-03-00-00',
          status: 0,
          publicKey: 'ab'.repeat(65),
          replacedEui: '90-B3-D5-1F-30-01-00-00',
          replacedPublicKey: 'cd'.repeat(65),
          originatorCounterFloor: 9,
        },
      ],
    },
  };
  return [
    ...COMMAND_CODES.map((code) => ({
      code,
      kind: 'command' as const,
      bytes: writeCommandContent(code, commandBody[code] ?? {}, ctx, cborContentCodec),
    })),
    ...COMMAND_CODES.map((code) => ({
      code,
      kind: 'response' as const,
      bytes: writeResponseContent(
        code,
        responseBody[code] ?? { status: 'success', firmwareVersion: '1.0.0' },
        ctx,
        cborContentCodec,
      ),
    })),
    ...[
      [0x1000, '0x8F3D'],
      [0x00ce, '0x8F72'],
      [0x0128, '0x8F8A'],
      [0x00ca, '0x8F66'],
    ].map(([code, alert]) => ({
      code: code as number,
      kind: 'alert' as const,
      bytes: writeAlertContent(
        code as number,
        alert as string,
        { imageHash: 'ab'.repeat(32), status: 'success', firmwareVersion: '1.0.0', commandCounter: 77 },
        { counter: 9n, now: ctx.now, device: device as Eui },
        cborContentCodec,
      ),
    })),
  ];
}

function read(kind: 'command' | 'response' | 'alert', code: number, bytes: Uint8Array): unknown {
  if (kind === 'command') return readCommandContent(code, bytes, 0, cborContentCodec);
  if (kind === 'response') return readResponseContent(code, bytes, 0, cborContentCodec);
  return readAlertContent(code, bytes, 0, cborContentCodec);
}

/** The device and the DCC turn a throw into 0x8F1E or a notice; anything but a GBCS decode error is a bug. */
function readsOrFailsCleanly(kind: 'command' | 'response' | 'alert', code: number, bytes: Uint8Array): void {
  try {
    read(kind, code, bytes);
  } catch (err) {
    expect(err, `${kind} ${code.toString(16)}: ${(err as Error).message}`).toBeInstanceOf(GbcsDecodeError);
  }
}

describe('wire content readers on hostile bytes', () => {
  it('every use case with a GBCS form is listed here', () => {
    for (const code of COMMAND_CODES) expect(gbcsContentFor(code)).toBeDefined();
    for (const code of ALERT_CODES) expect(gbcsAlertContentFor(code)).toBeDefined();
  });

  it('random bytes either read or fail with a GBCS decode error, for every use case and direction', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          ...COMMAND_CODES.flatMap((c) => [['command', c] as const, ['response', c] as const]),
          ...ALERT_CODES.map((c) => ['alert', c] as const),
        ),
        fc.uint8Array({ maxLength: 200 }),
        ([kind, code], bytes) => readsOrFailsCleanly(kind, code, bytes),
      ),
      { numRuns: 2000 },
    );
  });

  it('valid content with bytes flipped, cut or extended either reads or fails with a GBCS decode error', () => {
    const all = samples();
    fc.assert(
      fc.property(
        fc.constantFrom(...all),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        fc.boolean(),
        (sample, flips, cut, extend) => {
          const bytes = Uint8Array.from(sample.bytes);
          for (const [at, xor] of flips) bytes[at % bytes.length] = (bytes[at % bytes.length] ?? 0) ^ xor;
          const changed = extend
            ? Uint8Array.from([...bytes, 0x00])
            : bytes.subarray(0, cut % (bytes.length + 1));
          readsOrFailsCleanly(sample.kind, sample.code, changed);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('what the wire writes, the other end reads: every sample reads without error', () => {
    for (const s of samples()) expect(() => read(s.kind, s.code, s.bytes)).not.toThrow();
  });
});
