import { createServer, type Server, type Socket } from 'node:net';

/** The first byte of every TLS connection: a handshake record (RFC 8446 §5.1, ContentType 22). */
const TLS_HANDSHAKE = 0x16;

/**
 * A listener for an HTTPS server that answers a plain-HTTP client in plain HTTP — 400 and a line
 * saying to use https:// — instead of the bare TLS alert or reset the client would otherwise see
 * (curl: "Empty reply from server"; node: "socket hang up"), which names nothing. It peeks at the
 * first byte of each connection: a TLS handshake goes to `https` as it came, anything else is
 * answered and closed. `httpsUrl` is asked per refusal, as the port is known only once listening.
 */
export function tlsOnlyListener(https: Server, httpsUrl: () => string): Server {
  return createServer((socket) => {
    const dispatch = () => {
      const first = socket.read(1) as Buffer | null;
      if (first === null) {
        socket.once('readable', dispatch);
        return;
      }
      socket.unshift(first);
      if (first[0] === TLS_HANDSHAKE) https.emit('connection', socket);
      else refusePlain(socket, httpsUrl());
    };
    // A client that goes away before its first byte is nobody's concern.
    socket.on('error', () => {});
    dispatch();
  });
}

function refusePlain(socket: Socket, url: string): void {
  const text = `this DUIS endpoint speaks HTTPS only: send to ${url} and trust the stack's TLS CA (up.json duis.tlsCaFile)\n`;
  // Keep reading what the client sends (and drop it), so closing our side is a FIN, not a reset
  // that could reach the client before the answer.
  socket.resume();
  socket.end(
    `HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
  );
}
