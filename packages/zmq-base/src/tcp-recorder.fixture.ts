import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A loopback TCP relay between ZeroMQ peers that keeps every byte it carried, both ways. */
export interface TcpRecorder {
  /** The port clients connect to. */
  readonly port: number;
  /** Everything relayed so far, both directions concatenated in arrival order. */
  bytes(): Buffer;
  /** Stops relaying and closes every connection. */
  close(): Promise<void>;
}

/** Listens on a free loopback port and relays each connection to `127.0.0.1:targetPort`. */
export async function tcpRecorder(targetPort: number): Promise<TcpRecorder> {
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
    const relay = (from: Socket, to: Socket): void => {
      from.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        to.write(chunk);
      });
      from.on('close', () => to.destroy());
    };
    relay(client, upstream);
    relay(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('tcpRecorder: no port');
  return {
    port: address.port,
    bytes: () => Buffer.concat(chunks),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
