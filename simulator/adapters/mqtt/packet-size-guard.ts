import type { Socket } from 'node:net';

/**
 * aedes 1.2 has no maximum packet size for MQTT 3.1.1: its parser buffers whatever length a
 * fixed header announces (up to 256 MB, §2.2.3). This watches the bytes aedes reads from one
 * connection, follows the packet framing, and closes the connection as soon as a header
 * announces a packet over `maxPacketBytes` — before its body is buffered.
 *
 * It listens to `data`, which a stream whose flow `readable` controls (aedes's) emits for every
 * chunk read, so it must be attached after `aedes.handle(socket)`.
 */
export function guardPacketSize(
  socket: Socket,
  maxPacketBytes: number,
  onOversize: (packetType: number, remainingLength: number) => void,
): void {
  let phase: 'header' | 'length' | 'body' = 'header';
  let packetType = 0;
  let length = 0;
  let multiplier = 1;
  let toSkip = 0;
  socket.on('data', (chunk: Buffer) => {
    let i = 0;
    while (i < chunk.length) {
      if (phase === 'body') {
        const step = Math.min(toSkip, chunk.length - i);
        toSkip -= step;
        i += step;
        if (toSkip === 0) phase = 'header';
        continue;
      }
      const byte = chunk[i++] as number;
      if (phase === 'header') {
        packetType = byte >> 4;
        length = 0;
        multiplier = 1;
        phase = 'length';
        continue;
      }
      // Remaining Length: up to four 7-bit groups, least significant first (§2.2.3).
      length += (byte & 0x7f) * multiplier;
      multiplier *= 128;
      if (byte & 0x80) continue;
      if (length > maxPacketBytes) {
        onOversize(packetType, length);
        socket.destroy();
        return;
      }
      toSkip = length;
      phase = toSkip === 0 ? 'header' : 'body';
    }
  });
}
