import { describe, expect, it, vi } from 'vitest';
import type { TransportFault } from '../../../../../simulator/adapters/mqtt/connection-watch.js';
import type { FrameType } from '../../../../../simulator/adapters/serial/serial-frame.js';
import type { SerialLink } from '../../../../../simulator/adapters/serial/serial-link.js';
import { SerialTransport } from '../../../../../simulator/adapters/serial/serial-transport.js';

/** The line's far end, in memory: `deliver` is a frame arriving. */
function fakeLine() {
  let onFrame: ((type: FrameType, body: Uint8Array) => void) | undefined;
  const link = {
    onFrame: (handler: (type: FrameType, body: Uint8Array) => void) => {
      onFrame = handler;
    },
    send: async () => undefined,
    close: async () => undefined,
  } as unknown as SerialLink;
  return { link, deliver: (type: FrameType, body: Uint8Array) => onFrame?.(type, body) };
}

const ROUTES = {
  inbound: { wan: 'trialsim/v1/dut/wan/down/X', control: 'trialsim/v1/dut/dut/control/X' },
  outbound: {},
} as const;

describe('a serial frame handler that throws is a recorded fault, never only a process warning', () => {
  it('reports HANDLER_FAILED naming the party, the topic and the cause, and handles the next frame', async () => {
    const { link, deliver } = fakeLine();
    const faults: TransportFault[] = [];
    const warnings = vi.spyOn(process, 'emitWarning');
    const transport = new SerialTransport(link, ROUTES, 'serial-device-X', (f) => faults.push(f));
    const handled: number[] = [];
    await transport.subscribe([ROUTES.inbound.wan], (_topic, body) => {
      if (body[0] === 0xde) throw new Error('cannot read this APDU');
      handled.push(body[0] as number);
    });
    deliver('wan', Uint8Array.of(0xde));
    deliver('wan', Uint8Array.of(0x01));
    await transport.close(); // waits for the frames in hand
    expect(faults).toEqual([
      {
        party: 'serial-device-X',
        kind: 'handlerFailed',
        code: 'HANDLER_FAILED',
        message: `serial-device-X: its handler failed on a ${ROUTES.inbound.wan} frame: cannot read this APDU`,
      },
    ]);
    expect(handled).toEqual([1]);
    expect(warnings).not.toHaveBeenCalled();
    warnings.mockRestore();
  });
});
