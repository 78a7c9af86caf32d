import type { Socket } from 'node:net';

const coalescing = new WeakSet<Socket>();

/**
 * Holds a socket's writes until the end of the event-loop turn, then sends them in one system
 * call. Every MQTT packet is its own small write (mqtt-packet corks only until the next tick), so
 * a turn that answers a PUBLISH with a PUBACK and publishes a reply — or a broker that forwards
 * several messages to one subscriber — paid one `writev` per packet: the largest single cost of
 * a service request on loopback (bench/FIGURES.md). Waiting for setImmediate adds no timer and
 * no real delay: the turn's I/O callbacks and promise jobs have all run by then.
 */
export function coalesceWritesPerTurn(socket: Socket): void {
  if (coalescing.has(socket)) return;
  coalescing.add(socket);
  let corked = false;
  const flush = () => {
    corked = false;
    if (!socket.destroyed) socket.uncork();
  };
  const write = socket.write;
  socket.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    if (!corked) {
      corked = true;
      socket.cork();
      setImmediate(flush);
    }
    return write.apply(this, args);
  } as Socket['write'];
}
