import { framePayload } from '../codec/topic.js';
import { decodeReply, encodeRequest } from '../codec/envelope.js';
import type { EndpointContext, JsonForms, OutboundMessage, PluginLogger } from '../plugin/contract.js';
import { jsonForms } from '../plugin/json-forms.js';
import { handledFailure } from '../runner/inbound.js';
import { newWorkflowId } from '../runner/to-send.js';
import type { ModelNode, SpecNode } from '../types/spec-node.js';

/** One line written to the test logger. */
export interface LogLine {
  /** Logger method that was called. */
  level: keyof PluginLogger;
  /** Object or message passed first. */
  obj: object | string;
  /** Message passed second, if any. */
  msg: string | undefined;
}

/** An EndpointContext made by hand, as the runner would make it, that records log lines and state updates. */
export interface TestContext extends EndpointContext {
  /** Everything logged so far. */
  readonly logs: LogLine[];
  /** Every value passed to `update`, in order (`trace` only when one was passed). */
  readonly updates: { value: Record<string, unknown>; workflowId: string | null; trace?: string }[];
  /** Every call of `reject`, in order (each is also logged at warn, as the runner does). */
  readonly rejects: { reason: string; message: string; details: object | undefined }[];
}

/** What a test sets on its context; the rest gets defaults. */
export interface TestContextOptions {
  /** Model name; defaults to `test`. */
  name?: string;
  /** Side of the model, for its path; defaults to `in`. */
  side?: 'in' | 'out';
  /** Socket name → address, or several (a connecting socket reaching each replica of its peer). */
  addresses: Record<string, string | readonly string[]>;
  /** Creation arguments. */
  creation?: Record<string, unknown>;
  /** Stands in for the runner; defaults to echoing no reply. */
  receive?: EndpointContext['receive'];
  /** Kind of the model, for its path; defaults to `connection`. */
  kind?: 'connection' | 'state';
  /** Stands in for the runner's state check; defaults to accepting every value. */
  check?: EndpointContext['check'];
  /** Stands in for the runner's handling step; defaults to a request frame through `receive` and its reply decoded. */
  handle?: EndpointContext['handle'];
  /** The JSON forms of the messages; defaults to forms of a model that takes any args as they are. */
  json?: JsonForms;
}

/** `handle` made of a `receive`: the args encoded as a request, the reply frame decoded to an outcome. */
function handleThrough(receive: EndpointContext['receive']): NonNullable<EndpointContext['handle']> {
  return async (args, workflowId) => {
    const id = workflowId ?? newWorkflowId();
    let frame: Uint8Array;
    try {
      frame = encodeRequest({ args: args as Record<string, unknown>, workflow_id: id });
    } catch (error) {
      return handledFailure(id, error, 'request');
    }
    const reply = await receive(frame);
    if (reply === undefined) return { ok: true, workflowId: id, returnArgs: {} };
    const envelope = decodeReply(reply);
    if (envelope.error === undefined) return { ok: true, workflowId: id, returnArgs: envelope.return_args ?? {} };
    const fault = envelope.error.type === 'HandlerError' ? 'service' : 'request';
    return { ok: false, workflowId: id, fault, error: envelope.error };
  };
}

const ANY_ARGS: SpecNode = { kind: 'any', path: 'args' };

/** Builds a context for calling a type's `create()` directly. */
export function testContext(options: TestContextOptions): TestContext {
  const logs: LogLine[] = [];
  const record =
    (level: keyof PluginLogger) =>
    (obj: object | string, msg?: string): void => {
      logs.push({ level, obj, msg });
    };
  const name = options.name ?? 'test';
  const updates: TestContext['updates'] = [];
  const rejects: TestContext['rejects'] = [];
  return {
    service: 'test-service.ts',
    name,
    modelPath: `${options.kind ?? 'connection'}_models.${options.side ?? 'in'}.${name}`,
    addresses: Object.fromEntries(
      Object.entries(options.addresses).map(([socket, addr]) => [socket, typeof addr === 'string' ? addr : addr[0]!]),
    ),
    addressLists: Object.fromEntries(
      Object.entries(options.addresses).map(([socket, addr]) => [socket, typeof addr === 'string' ? [addr] : addr]),
    ),
    creation: options.creation ?? {},
    arguments: {},
    logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
    receive: options.receive ?? (async () => undefined),
    handle: options.handle ?? handleThrough(options.receive ?? (async () => undefined)),
    json: options.json ?? jsonForms({ node: ANY_ARGS as ModelNode }),
    check: options.check ?? (() => undefined),
    update: async (value, workflowId, trace) => {
      updates.push(trace === undefined ? { value, workflowId } : { value, workflowId, trace });
    },
    reject: (reason, message, details) => {
      rejects.push({ reason, message, details });
      logs.push({ level: 'warn', obj: { reason, ...details }, msg: message });
    },
    logs,
    updates,
    rejects,
  };
}

/** An outbound message carrying `frame` as it is (after the prefix `send` asks for), as the runner hands it to `send`. */
export function outbound(
  frame: Uint8Array | string,
  args: Record<string, unknown> = {},
  workflowId: string | null = null,
): OutboundMessage {
  const bytes = typeof frame === 'string' ? Buffer.from(frame) : frame;
  return { args, workflowId, frame: (prefix) => (prefix === undefined ? bytes : framePayload(prefix, bytes)) };
}
