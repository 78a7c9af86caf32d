import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeCbor,
  encodeCbor,
  MAX_MESSAGE_BYTES,
} from '../../../../../simulator/adapters/wire/cbor-codec.js';
import {
  decodeContentBody,
  decodeEnvelope,
  encodeContentBody,
  encodeEnvelope,
} from '../../../../../simulator/adapters/wire/envelope.js';
import { Topics } from '../../../../../simulator/adapters/wire/topics.js';
import { euiToBytes, parseEui } from '../../../../../simulator/domain/eui.js';
import { WireError } from '../../../../../simulator/errors.js';

const SUPPLIER = parseEui('90-B3-D5-1F-30-01-00-00');
const DEVICE = parseEui('00-12-4B-00-00-00-01-01');

describe('CBOR wire settings (PROTOCOL.md)', () => {
  it('writes counters above 32 bits as CBOR unsigned integers, not floats', () => {
    const bytes = encodeCbor({ n: 2 ** 40 });
    // a1 61 6e 1b <8 bytes>: map(1), text "n", uint64
    expect(Buffer.from(bytes).toString('hex')).toBe('a1616e1b0000010000000000');
    expect(decodeCbor(bytes, 'test')).toEqual({ n: 2 ** 40 });
  });

  it('writes byte strings untagged and drops undefined members', () => {
    expect(Buffer.from(encodeCbor({ b: new Uint8Array([1, 2]), u: undefined })).toString('hex')).toBe(
      'a161624201 02'.replace(' ', ''),
    );
  });

  it('encodes a value that needs no normalising exactly as the normalised copy of it (#21)', () => {
    // An undefined member sends the value through the normalising copy; without it the value
    // goes to cbor-x as it is. Both must be the same bytes, whatever the value holds.
    const value = fc.dictionary(
      fc.string(),
      fc.jsonValue().map((json) => JSON.parse(JSON.stringify(json)) as unknown),
      { maxKeys: 6 },
    );
    fc.assert(
      fc.property(value, fc.uint8Array({ maxLength: 8 }), (record, bytes) => {
        const plain = { ...record, bytes };
        const copied = { ...plain, dropped: undefined };
        expect(Buffer.from(encodeCbor(plain)).toString('hex')).toBe(
          Buffer.from(encodeCbor(copied)).toString('hex'),
        );
      }),
      { seed: 21, numRuns: 300 },
    );
  });

  it('refuses a message over the size limit before decoding it', () => {
    expect(() => decodeCbor(new Uint8Array(MAX_MESSAGE_BYTES + 1), 'envelope')).toThrow(
      /over the .*-byte limit/,
    );
  });
});

describe('envelope', () => {
  it('round-trips a service request', () => {
    const envelope = {
      kind: 'serviceRequest' as const,
      message: {
        requestId: `${SUPPLIER}:${DEVICE}:7`,
        commandVariant: 1,
        serviceReference: '11.2',
        serviceReferenceVariant: '11.2',
        body: {},
      },
    };
    expect(decodeEnvelope(encodeEnvelope(envelope))).toEqual(envelope);
  });

  it('round-trips a trialsim-profile content body byte for byte', () => {
    const body = { deviceId: SUPPLIER, counter: 2 ** 33, image: euiToBytes(DEVICE), nested: { a: [1, 2] } };
    const bytes = encodeContentBody(body);
    const decoded = decodeContentBody(bytes);
    expect(Buffer.from(encodeContentBody(decoded)).toString('hex')).toBe(Buffer.from(bytes).toString('hex'));
  });

  it('content that is not one CBOR map is refused, naming the content', () => {
    expect(() => decodeContentBody(encodeCbor([1, 2]))).toThrow(/^content: /);
  });

  it('device messages have no envelope: kind gbcs is refused on the User side', () => {
    const bad = encodeCbor({ v: 1, kind: 'gbcs', message: { payload: new Uint8Array(3) } });
    expect(() => decodeEnvelope(bad)).toThrow(/^envelope: /);
  });

  it('random bytes give a WireError, never another exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          decodeEnvelope(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(WireError);
        }
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});

describe('topics', () => {
  const topics = new Topics('run-1');

  it('routes each channel back to its party', () => {
    expect(topics.route(topics.dccIn(SUPPLIER))).toEqual({ channel: 'dccIn', party: SUPPLIER });
    expect(topics.route(topics.wanUp(DEVICE))).toEqual({ channel: 'wanUp', party: DEVICE });
    expect(topics.route('trialsim/v1/other-run/dcc/in/90-B3-D5-1F-30-01-00-00')).toBeUndefined();
    expect(topics.route(`trialsim/v1/run-1/dcc/in/not-an-eui`)).toBeUndefined();
  });

  it('refuses a namespace that would break the topic tree', () => {
    expect(() => new Topics('a/b')).toThrow(/namespace/);
    expect(() => new Topics('+')).toThrow(/namespace/);
  });
});
