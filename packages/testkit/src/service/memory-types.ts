import type { Endpoint, EndpointContext, Plugin, TypeDefinition } from '@sf/core/plugin';

/** Called for every endpoint the wrapped types create: in endpoints by their context, out endpoints to record sends. */
export interface EndpointSink {
  /** An in connection or state was created: the harness drives it through `context`. */
  inbound(context: EndpointContext): void;
  /** An out connection or state was created; returns its endpoint (which records and answers sends). */
  outbound(context: EndpointContext, definition: TypeDefinition): Endpoint;
}

/**
 * The same plugin with every type kept as declared (side, handler, argument models, replies…) but
 * living in memory: `create` makes no socket, and addresses become optional (still checked when given).
 */
export function inMemory(plugin: Plugin, sink: EndpointSink): Plugin {
  const types: Record<string, TypeDefinition> = {};
  for (const [name, definition] of Object.entries(plugin.types)) {
    types[name] = {
      ...definition,
      addresses: [],
      optionalAddresses: [...definition.addresses, ...(definition.optionalAddresses ?? [])],
      create: (context) => (definition.side === 'in' ? inEndpoint(context, sink) : sink.outbound(context, definition)),
    };
  }
  return { ...plugin, types };
}

function inEndpoint(context: EndpointContext, sink: EndpointSink): Endpoint {
  sink.inbound(context);
  return { open: async () => undefined, close: async () => undefined };
}
