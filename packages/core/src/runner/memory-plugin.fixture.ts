import { encodeReply } from '../codec/envelope.js';
import type { Endpoint, EndpointContext, OutboundMessage, Plugin, ReplyObject, TypeDefinition } from '../plugin/contract.js';
import { CORE_MAJOR } from '../registry/core-version.js';

/** An in endpoint of the memory plugin: the test pushes frames into the runner through it. */
export interface MemoryIn extends Endpoint {
  /** Hands one frame to `context.receive`, as a transport would; throws once paused or closed. */
  push(frame: Uint8Array): ReturnType<EndpointContext['receive']>;
  /** The context the runner made for it (`handle`, `json`…). */
  readonly context: EndpointContext;
  /** Whether `pause()` was called. */
  paused: boolean;
  /** Whether `close()` was called. */
  closed: boolean;
}

/** What a memory out endpoint answers to a message: a reply frame, a reply object, or nothing. */
export type MemoryReply = (
  message: OutboundMessage,
) => Uint8Array | ReplyObject | undefined | Promise<Uint8Array | ReplyObject | undefined>;

/** An out endpoint of the memory plugin: records what is sent and answers with `reply`. */
export interface MemoryOut extends Endpoint {
  /** Every message sent, in order. */
  readonly sent: OutboundMessage[];
  /** The answer to the next messages; by default an empty reply carrying the message's workflow id. */
  reply: MemoryReply;
  /** Whether `close()` was called. */
  closed: boolean;
}

/** A memory plugin and the endpoints it created, by model name. */
export interface MemoryPlugin {
  /** The plugin to pass to `startService({ plugins })`. */
  readonly plugin: Plugin;
  /** In endpoints by model name. */
  readonly inputs: Map<string, MemoryIn>;
  /** Out endpoints by model name. */
  readonly outputs: Map<string, MemoryOut>;
  /** Lifecycle calls in order, e.g. `open ask`, `pause orders`, `close orders`, `send ask`. */
  readonly events: string[];
}

const FAIL_OPEN = { optional: { fail_open: Boolean } };

/**
 * An in-memory connection plugin for runner tests: `memory_replyer` / `memory_subscriber` (in,
 * handlers `on_new_request` / `on_new_message`) and `memory_requester` / `memory_publisher` (out).
 * No addresses. A `fail_open: true` creation argument makes `open()` reject.
 */
export function memoryPlugin(): MemoryPlugin {
  const inputs = new Map<string, MemoryIn>();
  const outputs = new Map<string, MemoryOut>();
  const events: string[] = [];

  const opener = (context: EndpointContext) => async () => {
    events.push(`open ${context.name}`);
    if (context.creation.fail_open === true) throw new Error(`${context.name} failed to open`);
  };

  const inType = (handler: string, replies: boolean): TypeDefinition => ({
    side: 'in',
    kind: 'connection',
    peers: [],
    addresses: [],
    handler,
    replies,
    creationArguments: { required: { [handler]: Function }, ...FAIL_OPEN },
    create(context) {
      const endpoint: MemoryIn = {
        context,
        paused: false,
        closed: false,
        open: opener(context),
        async pause() {
          events.push(`pause ${context.name}`);
          endpoint.paused = true;
        },
        async close() {
          events.push(`close ${context.name}`);
          endpoint.closed = true;
        },
        push(frame) {
          if (endpoint.paused || endpoint.closed) throw new Error(`${context.name} takes no more messages`);
          return context.receive(frame);
        },
      };
      inputs.set(context.name, endpoint);
      return endpoint;
    },
  });

  const outType = (replies: boolean): TypeDefinition => ({
    side: 'out',
    kind: 'connection',
    peers: [],
    addresses: [],
    replies,
    creationArguments: FAIL_OPEN,
    create(context) {
      const endpoint: MemoryOut = {
        sent: [],
        closed: false,
        reply: (message) => (replies ? encodeReply({ return_args: {}, workflow_id: message.workflowId }) : undefined),
        open: opener(context),
        async close() {
          events.push(`close ${context.name}`);
          endpoint.closed = true;
        },
        async send(message) {
          events.push(`send ${context.name}`);
          endpoint.sent.push(message);
          return endpoint.reply(message);
        },
      };
      outputs.set(context.name, endpoint);
      return endpoint;
    },
  });

  const plugin: Plugin = {
    name: '@test/memory',
    coreMajor: CORE_MAJOR,
    types: {
      memory_replyer: inType('on_new_request', true),
      memory_subscriber: inType('on_new_message', false),
      memory_requester: outType(true),
      memory_publisher: outType(false),
    },
  };
  return { plugin, inputs, outputs, events };
}
