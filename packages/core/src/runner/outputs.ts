import { decodeReply, encodeRequest, type RequestEnvelope } from '../codec/envelope.js';
import { spanErrorOf } from '../codec/error-reply.js';
import { framePayload } from '../codec/topic.js';
import { RemoteError, ServiceStateError } from '../errors.js';
import type { ResolvedModel } from '../models/resolved-model.js';
import { DEFAULT_WIRE_LIMITS, type WireLimits } from '../codec/wire-budget.js';
import type { Endpoint, OutboundMessage, ReplyObject } from '../plugin/contract.js';
import type { ServiceTracer, SpanSubject, TraceSpan } from '../tracing/tracer.js';
import { didYouMean } from '../util/nearest.js';
import type { Logger } from './logger.js';

/** An out model with its live endpoint. */
interface Output {
  readonly model: ResolvedModel;
  readonly endpoint: Endpoint;
  /** What a reply to it may hold. */
  readonly limits: WireLimits;
  /** The endpoint as its spans name it (tracing on only). */
  readonly subject?: SpanSubject;
}

/** A message to send; its frame is encoded on first use (a transport that calls a function never needs it). */
export class Outbound implements OutboundMessage {
  readonly args: Record<string, unknown>;
  readonly workflowId: string | null;
  readonly trace: string | undefined;
  #frame: Uint8Array | undefined;

  constructor(args: Record<string, unknown>, workflowId: string | null, trace?: string) {
    this.args = args;
    this.workflowId = workflowId;
    this.trace = trace;
  }

  frame(prefix?: Uint8Array): Uint8Array {
    if (prefix === undefined || prefix.length === 0) {
      this.#frame ??= encodeRequest(this.#envelope());
      return this.#frame;
    }
    // Packed straight after the prefix: one buffer, the envelope not copied behind it.
    if (this.#frame !== undefined) return framePayload(prefix, this.#frame);
    return encodeRequest(this.#envelope(), prefix);
  }

  #envelope(): RequestEnvelope {
    return this.trace === undefined
      ? { args: this.args, workflow_id: this.workflowId }
      : { args: this.args, workflow_id: this.workflowId, trace: this.trace };
  }
}

/** The service's out connections and states, by `to_send`'s `(output_type, output_name)`. */
export class Outputs {
  readonly #byType: Record<'connection' | 'state', Map<string, Output>> = { connection: new Map(), state: new Map() };
  readonly #service: string;
  readonly #logger: Logger;
  readonly #tracer: ServiceTracer | undefined;
  readonly #serviceName: string;

  /** `tracer` (tracing on): each send gets a span; `serviceName` names the service in it. */
  constructor(service: string, logger: Logger, tracer?: ServiceTracer, serviceName = service) {
    this.#service = service;
    this.#logger = logger;
    this.#tracer = tracer;
    this.#serviceName = serviceName;
  }

  /** Adds an opened out model; `limits` (its context's) bound what a reply to it may hold. */
  add(model: ResolvedModel, endpoint: Endpoint, limits: WireLimits = DEFAULT_WIRE_LIMITS): void {
    const subject =
      this.#tracer === undefined
        ? undefined
        : { service: this.#serviceName, model: model.path, type: model.typeName, replies: model.definition.replies };
    this.#byType[model.kind].set(model.name, subject === undefined ? { model, endpoint, limits } : { model, endpoint, limits, subject });
  }

  /**
   * Validates `args` against the out model, sends them and resolves to the validated return
   * arguments (`{}` for types without a reply). Bad args reject before anything is sent. `parent`
   * (tracing on): the span of the handler or `main` that sends; the send gets a span of its own.
   */
  async send(
    type: string,
    name: string,
    args: Record<string, unknown>,
    workflowId: string,
    parent?: TraceSpan,
  ): Promise<Record<string, unknown>> {
    const output = this.#lookup(type, name);
    const { model, endpoint } = output;
    model.send.assert(args);
    if (this.#logger.isLevelEnabled('debug')) this.#logger.debug({ workflow_id: workflowId, to: model.path }, 'sending');
    if (this.#tracer !== undefined) return this.#tracedSend(this.#tracer, output, args, workflowId, parent);
    return this.#returned(output, await endpoint.send!(new Outbound(args, workflowId)), workflowId);
  }

  /** `send` under a span (client or producer) whose `traceparent` the message carries. */
  async #tracedSend(
    tracer: ServiceTracer,
    output: Output,
    args: Record<string, unknown>,
    workflowId: string,
    parent: TraceSpan | undefined,
  ): Promise<Record<string, unknown>> {
    const span = tracer.start('send', output.subject!, workflowId, parent);
    try {
      const returned = this.#returned(output, await output.endpoint.send!(new Outbound(args, workflowId, span.traceparent)), workflowId);
      span.end();
      return returned;
    } catch (error) {
      span.end(spanErrorOf(error, 'send', workflowId));
      throw error;
    }
  }

  /** The validated return arguments of `reply`; throws the peer's error reply as a RemoteError. */
  #returned(output: Output, reply: Uint8Array | ReplyObject | undefined, workflowId: string): Record<string, unknown> {
    const { model, limits } = output;
    if (!model.definition.replies) return {};
    const envelope =
      reply instanceof Uint8Array ? decodeReply(reply, limits) : { return_args: reply?.return_args ?? null, workflow_id: workflowId };
    if (envelope.error !== undefined) {
      throw new RemoteError(envelope.error, { service: this.#service, model: model.path });
    }
    const returned = envelope.return_args ?? {};
    model.returns?.assert(returned);
    return returned;
  }

  #lookup(type: string, name: string): Output {
    const byName = type === 'connection' || type === 'state' ? this.#byType[type] : undefined;
    if (byName === undefined) {
      throw new ServiceStateError(
        'SF_UNKNOWN_OUTPUT',
        `to_send's output_type must be 'connection' or 'state', not ${JSON.stringify(type)}`,
        {
          service: this.#service,
          hint: "Call to_send('connection', name, args) or to_send('state', name, args)",
        },
      );
    }
    const output = byName.get(name);
    if (output === undefined) {
      const section = type === 'connection' ? 'connection_models' : 'state_models';
      const names = [...byName.keys()];
      throw new ServiceStateError('SF_UNKNOWN_OUTPUT', `to_send: no out ${type} named '${name}'`, {
        service: this.#service,
        model: `${section}.out`,
        hint: didYouMean(name, names) || (names.length > 0 ? `Out ${type}s: ${names.join(', ')}` : `Declare it under ${section}.out`),
      });
    }
    return output;
  }
}
