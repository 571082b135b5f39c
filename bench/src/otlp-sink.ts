/**
 * An OTLP/HTTP endpoint that takes every export and throws it away: where the "tracing on" runs
 * send their spans, so they pay for making and exporting spans and the bench process does not
 * spend CPU on decoding them.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running sink. */
export interface OtlpSink {
  /** The URL to pass to `sf run --otlp`. */
  readonly url: string;
  /** Export requests taken so far. */
  readonly requests: () => number;
  /** Stops listening. */
  close(): Promise<void>;
}

/** Listens on a free loopback port. */
export async function startOtlpSink(): Promise<OtlpSink> {
  let requests = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
