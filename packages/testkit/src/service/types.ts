import type { ArgsOf, Config, ReturnOf, StateSendOf, States, TypedService } from '@sf/core';
import type { ReplyError } from '@sf/core/plugin';
import type { RespondOptions, Responder, SentCall } from './scripts.js';

/** What `call` resolves to: the reply a peer would get, decoded. */
export type CallResult<Result> =
  | {
      /** The handler ran and its return passed the model. */
      readonly ok: true;
      /** The validated return arguments (`{}` for types without replies). */
      readonly return_args: Result;
      /** The workflow id the message carried. */
      readonly workflow_id: string;
      readonly error?: undefined;
    }
  | {
      /** The message was rejected or the handler failed. */
      readonly ok: false;
      readonly return_args: null;
      /** The workflow id the message carried. */
      readonly workflow_id: string;
      /** The error exactly as the peer's reply carries it (`type`, `code`, `message`). */
      readonly error: ReplyError;
      /** The full error the service logged (stack, cause): what the peer is not told. */
      readonly cause: unknown;
    };

/** Names of a model group, as strings. */
type Names<M> = keyof M & string;

/** A service running in-process for a test, typed from its models (`CI`, `CO`, `SI`, `SO`, `Cfg` as in `defineService`). */
export interface TestService<CI = any, CO = any, SI = any, SO = any, Cfg = any> {
  /** The merged, checked config, as `sf run` builds it. */
  readonly config: Config<Cfg>;
  /** The `states` object handlers see. */
  readonly states: States<SI>;
  /** Every entry the service logged (with the error objects as thrown). */
  readonly logs: readonly import('@sf/core/testing').RecordedLog[];
  /** Sends `args` to in connection `name` as a peer would (encoded, checked, handled, reply checked). */
  call<N extends Names<CI>>(name: N, args: ArgsOf<CI[N]>, options?: { workflowId?: string }): Promise<CallResult<ReturnOf<CI[N]>>>;
  /** Scripts the peer of out connection `name`: each `to_send` is answered by `reply` (a function, or fixed return args). */
  respond<N extends Names<CO>>(name: N, reply: Responder<ArgsOf<CO[N]>, ReturnOf<CO[N]>> | ReturnOf<CO[N]>, options?: RespondOptions): this;
  /** Makes `to_send` to out connection or state `name` reject with `error`, as a transport failure (a timeout, a closed connection). */
  fail(name: Names<CO> | Names<SO>, error: unknown, kind?: 'connection' | 'state'): this;
  /** The `to_send` calls made to out connection `name` so far, in order. */
  sent<N extends Names<CO>>(name: N): readonly SentCall<ArgsOf<CO[N]>, ReturnOf<CO[N]>>[];
  /** The `to_send('state', name, …)` calls made to out state `name` so far, in order. */
  sentState<N extends Names<SO>>(name: N): readonly SentCall<StateSendOf<SO[N]>, ReturnOf<SO[N]>>[];
  /** Sets in state `name` (checked against its model) and runs its `on_update`; resolves once that finished. */
  setState<N extends Names<SI>>(name: N, value: ArgsOf<SI[N]>, options?: { workflowId?: string }): Promise<void>;
  /** Runs `main(to_send, config)` with a new workflow id; rejects with what `main` threw. */
  runMain(): Promise<void>;
  /** Runs `sigint_handler(signal, to_send, states, config)` with a new workflow id, as on SIGINT/SIGTERM. */
  signal(signal?: NodeJS.Signals): Promise<void>;
  /** Resolves once no handler, `on_update` or `main` started through the kit is still running. */
  idle(): Promise<void>;
}

/** The `TestService` of a `defineService` result. */
export type TestServiceOf<S> =
  S extends TypedService<infer CI, infer CO, infer SI, infer SO, infer Cfg> ? TestService<CI, CO, SI, SO, Cfg> : TestService;
