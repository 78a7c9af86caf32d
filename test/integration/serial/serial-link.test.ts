import { SerialPortMock } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeFrame, type FrameType } from '../../../simulator/adapters/serial/serial-frame.js';
import {
  type SerialBinding,
  SerialLink,
  type SerialLinkEvent,
} from '../../../simulator/adapters/serial/serial-link.js';

const MockBinding = SerialPortMock.binding;
type MockPort = Awaited<ReturnType<typeof MockBinding.open>>;
const PATH = '/dev/trialsim-mock';

/**
 * MockBinding, plus a handle on each port it opens and a way to make the next read fail the way
 * a vanished device does (the stream then closes, exactly as with the native binding).
 */
function recordingBinding() {
  const opened: MockPort[] = [];
  let vanish = false;
  const binding = {
    ...MockBinding,
    async open(options: Parameters<typeof MockBinding.open>[0]) {
      const port = await MockBinding.open(options);
      const read = port.read.bind(port);
      port.read = async (...args: Parameters<MockPort['read']>) => {
        if (vanish) {
          vanish = false;
          throw Object.assign(new Error('device vanished'), { disconnected: true });
        }
        return read(...args);
      };
      opened.push(port);
      return port;
    },
  };
  return {
    binding: binding as unknown as SerialBinding,
    opened,
    current: () => opened.at(-1) as MockPort,
    /** The device resets: its port drops (after the read already pending completes). */
    unplug() {
      vanish = true;
      opened.at(-1)?.emitData(Buffer.of(0));
    },
  };
}

function collect(link: SerialLink) {
  const frames: { type: FrameType; body: Uint8Array }[] = [];
  const events: SerialLinkEvent[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  link.onFrame((type, body) => {
    frames.push({ type, body });
    for (const w of waiters.filter((w) => frames.length >= w.n)) w.resolve();
  });
  link.onEvent((event) => events.push(event));
  return {
    frames,
    events,
    untilFrames: (n: number) =>
      frames.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve })),
    untilEvent: (type: SerialLinkEvent['type']) =>
      new Promise<SerialLinkEvent>((resolve) => {
        link.onEvent((event) => {
          if (event.type === type) resolve(event);
        });
      }),
  };
}

describe('serial link over @serialport/binding-mock (PROTOCOL §9)', () => {
  let link: SerialLink | undefined;
  beforeEach(() => {
    MockBinding.reset();
    MockBinding.createPort(PATH, { echo: false, record: true });
  });
  afterEach(async () => {
    await link?.close();
    link = undefined;
    MockBinding.reset();
  });

  it('reassembles a frame that arrives split over several reads', async () => {
    const mock = recordingBinding();
    link = await SerialLink.open({ path: PATH, baudRate: 115_200, binding: mock.binding });
    const seen = collect(link);
    const bytes = encodeFrame('wan', Buffer.from('a frame cut in three'));
    mock.current().emitData(Buffer.from(bytes.subarray(0, 4)));
    mock.current().emitData(Buffer.from(bytes.subarray(4, 9)));
    mock.current().emitData(Buffer.from(bytes.subarray(9)));
    await seen.untilFrames(1);
    expect(Buffer.from(seen.frames[0]?.body ?? []).toString()).toBe('a frame cut in three');
    expect(link.stats.framingErrors).toBe(0);
  });

  it('counts and reports garbage, a bad CRC and an oversize frame, and still delivers the good frames', async () => {
    const mock = recordingBinding();
    link = await SerialLink.open({ path: PATH, baudRate: 115_200, binding: mock.binding, maxBody: 32 });
    const seen = collect(link);
    const badCrc = encodeFrame('wan', Buffer.from('flipped'));
    badCrc[3] = (badCrc[3] as number) ^ 0x40;
    mock.current().emitData(Buffer.from('line noise \u0007\u00ff'));
    mock.current().emitData(Buffer.from(encodeFrame('wan', Buffer.from('one'))));
    mock.current().emitData(Buffer.from(badCrc));
    mock.current().emitData(Buffer.from(encodeFrame('wan', new Uint8Array(200).fill(9))));
    mock.current().emitData(Buffer.from(encodeFrame('control', Buffer.from('two'))));
    await seen.untilFrames(2);
    expect(seen.frames.map((f) => Buffer.from(f.body).toString())).toEqual(['one', 'two']);
    expect(link.stats.errorsByKind).toEqual({ cobs: 1, crc: 1, oversize: 1 });
    expect(link.stats.framingErrors).toBe(3);
    const reported = seen.events.flatMap((e) => (e.type === 'framingError' ? [e.error.kind] : []));
    expect(reported).toEqual(['cobs', 'crc', 'oversize']);
  });

  it('writes each frame as 00 ‖ COBS(type ‖ body ‖ CRC-32) ‖ 00', async () => {
    const mock = recordingBinding();
    link = await SerialLink.open({ path: PATH, baudRate: 115_200, binding: mock.binding });
    await link.send('control', Buffer.from('hello'));
    expect(Buffer.from(mock.current().recording)).toEqual(
      Buffer.from(encodeFrame('control', Buffer.from('hello'))),
    );
  });

  it('survives the device resetting: the port closes, the link reopens it, frames flow again', async () => {
    const mock = recordingBinding();
    link = await SerialLink.open({
      path: PATH,
      baudRate: 115_200,
      binding: mock.binding,
      reopenDelaysMs: [1],
    });
    const seen = collect(link);
    const reopened = seen.untilEvent('opened');
    // Half a frame, then the device resets mid-frame.
    mock.current().emitData(Buffer.from(encodeFrame('wan', Buffer.from('cut off')).subarray(0, 5)));
    mock.unplug();
    await reopened;
    expect(mock.opened).toHaveLength(2);
    expect(seen.events.map((e) => e.type)).toContain('closed');
    mock.current().emitData(Buffer.from(encodeFrame('wan', Buffer.from('after reset'))));
    await seen.untilFrames(1);
    expect(seen.frames.map((f) => Buffer.from(f.body).toString())).toEqual(['after reset']);
    expect(link.stats.reopens).toBe(1);
  });

  it('refuses to open a port that does not exist, saying which', async () => {
    await expect(
      SerialLink.open({ path: '/dev/nope', baudRate: 9600, binding: recordingBinding().binding }),
    ).rejects.toThrow(/cannot open serial port \/dev\/nope/);
  });

  it('reports a send while the port is down as SERIAL_DOWN (the bridge counts it as dropped)', async () => {
    const mock = recordingBinding();
    link = await SerialLink.open({
      path: PATH,
      baudRate: 115_200,
      binding: mock.binding,
      reopenDelaysMs: [60_000],
    });
    const seen = collect(link);
    const closed = seen.untilEvent('closed');
    mock.unplug();
    await closed;
    await expect(link.send('wan', Buffer.from('x'))).rejects.toMatchObject({ code: 'SERIAL_DOWN' });
  });
});
