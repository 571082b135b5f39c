import { TransportError } from '@sf/core';
import type { EndpointContext } from '@sf/core/plugin';
import type { ListenerAddress } from './endpoint-config.js';

/** The error for a listener that cannot bind its address. */
export function bindError(context: EndpointContext, address: ListenerAddress, error: unknown): TransportError {
  const inUse = (error as { code?: unknown }).code === 'EADDRINUSE';
  return new TransportError(
    'SF_BIND_FAILED',
    `Cannot listen on ${address.text} (${address.path}): ${inUse ? 'address already in use' : errorText(error)}`,
    {
      service: context.service,
      model: context.modelPath,
      hint: inUse
        ? 'Stop the process that holds this port, or give this listener another port in the addresses file'
        : 'Check the address in the addresses file',
      cause: error,
    },
  );
}

/** The error for a sender that could not reach its listener within its connect timeout. */
export function connectError(context: EndpointContext, address: ListenerAddress, timeoutMs: number, error: unknown): TransportError {
  return new TransportError(
    'SF_CONNECT_FAILED',
    `Cannot connect to ${address.text} (${address.path}) within ${timeoutMs} ms: ${errorText(error)}`,
    {
      service: context.service,
      model: context.modelPath,
      hint: 'Start the service with the ndjson_in connection first, or check the address in the addresses file',
      cause: error,
    },
  );
}

/** The error for a message whose write failed: it was not handed to the network. */
export function sendError(context: EndpointContext, address: ListenerAddress, error: unknown): TransportError {
  return new TransportError(
    'SF_CONNECTION_CLOSED',
    `Lost the connection to ${address.text} (${address.path}) while sending: ${errorText(error)}`,
    {
      service: context.service,
      model: context.modelPath,
      hint: 'The message was not sent; the next send reconnects',
      cause: error,
    },
  );
}

/** The error for using an endpoint outside `open()` … `close()`. */
export function closedError(context: EndpointContext, address: ListenerAddress, what: string): TransportError {
  return new TransportError('SF_CONNECTION_CLOSED', `${what} (${address.path})`, {
    service: context.service,
    model: context.modelPath,
    hint: 'Use a connection only between open() and close()',
  });
}

function errorText(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message;
}
