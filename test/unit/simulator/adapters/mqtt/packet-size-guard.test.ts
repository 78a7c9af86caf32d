import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guardPacketSize } from '../../../../../simulator/adapters/mqtt/packet-size-guard.js';
import { budget } from '../../../../support/run-budget.js';

/** An MQTT fixed header: packet type, then the Remaining Length (§2.2.3). */
function header(type: number, length: number): Buffer {
  const varint: number[] = [];
  let rest = length;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    varint.push(byte);
  } while (rest > 0);
  return Buffer.from([type << 4, ...varint]);
}

function packet(type: number, length: number): Buffer {
  return Buffer.concat([header(type, length), Buffer.alloc(length, 0xab)]);
}

class FakeSocket extends EventEmitter {
  destroyed = false;
  destroy(): void {
    this.destroyed = true;
  }
}

const LIMIT = 300;

describe('packet size guard (aedes has no MQTT 3.1.1 maximum packet size)', () => {
  it('BROKER-SIZE - closes on the first packet announcing more than the limit, however the bytes are chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 14 }), fc.integer({ min: 0, max: LIMIT })), {
          maxLength: 8,
        }),
        fc.option(fc.integer({ min: LIMIT + 1, max: 268_435_455 })),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
        (allowed, oversize, cuts) => {
          const stream = Buffer.concat([
            ...allowed.map(([type, length]) => packet(type, length)),
            ...(oversize === null ? [] : [header(3, oversize), Buffer.alloc(4, 0xab)]),
          ]);
          const socket = new FakeSocket();
          const refused: number[] = [];
          guardPacketSize(socket as unknown as Socket, LIMIT, (_type, length) => refused.push(length));
          let at = 0;
          for (let i = 0; at < stream.length && !socket.destroyed; i++) {
            const size = cuts[i % cuts.length] as number;
            socket.emit('data', stream.subarray(at, at + size));
            at += size;
          }
          expect(refused).toEqual(oversize === null ? [] : [oversize]);
          expect(socket.destroyed).toBe(oversize !== null);
        },
      ),
      budget(500),
    );
  });
});
