import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cobsDecode, cobsEncode } from '../../../../../simulator/adapters/serial/cobs.js';
import { crc32 } from '../../../../../simulator/adapters/serial/crc32.js';
import {
  type DecodedItem,
  encodeFrame,
  FrameDecoder,
  type FrameType,
} from '../../../../../simulator/adapters/serial/serial-frame.js';

const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s/g, ''), 'hex'));
const frames = (items: DecodedItem[]) => items.filter((i) => i.kind === 'frame');
const errors = (items: DecodedItem[]) => items.flatMap((i) => (i.kind === 'error' ? [i.error.kind] : []));

describe('PROTOCOL §9.2 - CRC-32 (IEEE 802.3 / zlib)', () => {
  it('has the standard check value for "123456789"', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('PROTOCOL §9.1 - COBS', () => {
  // The examples of Cheshire & Baker's paper (as listed on the COBS Wikipedia page).
  const cases: [string, string][] = [
    ['00', '0101'],
    ['0000', '010101'],
    ['00110000', '01021101 01'],
    ['11220033', '03112202 33'],
    ['11223344', '0511223344'],
    ['11000000', '02110101 01'],
  ];
  it.each(cases)('encodes %s as %s and back', (raw, stuffed) => {
    expect(Buffer.from(cobsEncode(hex(raw))).toString('hex')).toBe(stuffed.replace(/\s/g, ''));
    expect(Buffer.from(cobsDecode(hex(stuffed)) ?? []).toString('hex')).toBe(raw);
  });
  it('splits a run of 254 non-zero bytes with an 0xFF code', () => {
    const raw = Uint8Array.from({ length: 254 }, (_, i) => i + 1);
    const stuffed = cobsEncode(raw);
    expect(stuffed[0]).toBe(0xff);
    expect(stuffed.length).toBe(256);
    expect(cobsDecode(stuffed)).toEqual(raw);
  });
  it('refuses a block whose code points past its end', () => {
    expect(cobsDecode(hex('05 11 22'))).toBeUndefined();
  });
});

describe('PROTOCOL §9 - frame decoding', () => {
  const body = hex('a2 61 76 01 64 6b 69 6e 64 64 67 62 63 73');

  it('decodes a frame delivered one byte at a time (split frames)', () => {
    const decoder = new FrameDecoder();
    const items = [...encodeFrame('wan', body)].flatMap((byte) => decoder.push(Uint8Array.of(byte)));
    expect(items).toEqual([{ kind: 'frame', type: 'wan', body }]);
  });

  it('decodes two frames arriving in one chunk, cut across their boundary', () => {
    const decoder = new FrameDecoder();
    const line = Buffer.concat([encodeFrame('wan', body), encodeFrame('control', hex('0102'))]);
    const items = [...decoder.push(line.subarray(0, 7)), ...decoder.push(line.subarray(7))];
    expect(frames(items).map((f) => (f.kind === 'frame' ? f.type : ''))).toEqual(['wan', 'control']);
  });

  it('resynchronises after garbage on the line and reports it', () => {
    const decoder = new FrameDecoder();
    const garbage = hex('13 37 ff 42 99 17');
    const items = decoder.push(Buffer.concat([garbage, encodeFrame('wan', body)]));
    expect(errors(items)).toHaveLength(1);
    expect(frames(items)).toEqual([{ kind: 'frame', type: 'wan', body }]);
  });

  it('rejects a frame whose CRC does not match (one bit flipped) and keeps going', () => {
    const decoder = new FrameDecoder();
    const bad = encodeFrame('wan', body);
    bad[5] = (bad[5] as number) ^ 0x01;
    const items = decoder.push(Buffer.concat([bad, encodeFrame('wan', body)]));
    expect(errors(items)).toEqual(['crc']);
    expect(frames(items)).toHaveLength(1);
  });

  it('reports an oversize frame once, skips to the next delimiter, then decodes the next frame', () => {
    const decoder = new FrameDecoder(64);
    const items = decoder.push(
      Buffer.concat([encodeFrame('wan', new Uint8Array(500).fill(7)), encodeFrame('wan', body)]),
    );
    expect(errors(items)).toEqual(['oversize']);
    expect(frames(items)).toEqual([{ kind: 'frame', type: 'wan', body }]);
  });

  it('refuses an encoder-made frame whose body is just over the limit', () => {
    const decoder = new FrameDecoder(16);
    expect(errors(decoder.push(encodeFrame('wan', new Uint8Array(17).fill(1))))).toEqual(['oversize']);
    expect(frames(decoder.push(encodeFrame('wan', new Uint8Array(16).fill(1))))).toHaveLength(1);
  });

  it('rejects an unknown frame type and a frame too short to hold a CRC', () => {
    const decoder = new FrameDecoder();
    const unknown = hex('09 61 62');
    const raw = new Uint8Array(unknown.length + 4);
    raw.set(unknown);
    new DataView(raw.buffer).setUint32(unknown.length, crc32(unknown));
    const line = Buffer.concat([Uint8Array.of(0), cobsEncode(raw), Uint8Array.of(0, 0x03, 0x01, 0x02, 0)]);
    expect(errors(decoder.push(line))).toEqual(['type', 'short']);
  });

  it('ignores empty frames (runs of delimiters)', () => {
    expect(new FrameDecoder().push(new Uint8Array(10))).toEqual([]);
  });
});

describe('PROTOCOL §9 - properties', () => {
  const frameArb = fc.record({
    type: fc.constantFrom<FrameType>('wan', 'control'),
    body: fc.uint8Array({ maxLength: 600 }),
  });

  it('encode → arbitrary chunking → decode is the identity', () => {
    fc.assert(
      fc.property(
        fc.array(frameArb, { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1 }),
        (sent, cuts) => {
          const line = Buffer.concat(sent.map((f) => encodeFrame(f.type, f.body)));
          const decoder = new FrameDecoder();
          const items: DecodedItem[] = [];
          for (let at = 0, i = 0; at < line.length; i++) {
            const size = cuts[i % cuts.length] as number;
            items.push(...decoder.push(line.subarray(at, at + size)));
            at += size;
          }
          expect(items).toEqual(sent.map((f) => ({ kind: 'frame', type: f.type, body: f.body })));
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('garbage never crashes the decoder, and the frame after it always comes through', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 3000 }),
        frameArb,
        fc.integer({ min: 1, max: 50 }),
        (garbage, frame, chunk) => {
          const decoder = new FrameDecoder(256);
          const line = Buffer.concat([garbage, encodeFrame(frame.type, frame.body.subarray(0, 256))]);
          const items: DecodedItem[] = [];
          for (let at = 0; at < line.length; at += chunk)
            items.push(...decoder.push(line.subarray(at, at + chunk)));
          expect(items.at(-1)).toEqual({
            kind: 'frame',
            type: frame.type,
            body: frame.body.subarray(0, 256),
          });
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});
