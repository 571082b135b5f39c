/**
 * Types of a service module (SPEC §2): the models, and the handlers, `to_send`, `states` and
 * `config` that `defineService` types from them. The typed forms take the inferred models as
 * parameters; without parameters each is the wide form the runner works with.
 */
import type { Addresses } from '../config/load-addresses.js';
import type { InferArguments } from '../types/infer.js';
import type { ArgumentModel, KeyedModel } from '../types/spec.js';

/** A value or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/** Creation arguments of a model: values (options, clients, handler functions), not types. */
export type CreationArguments = Readonly<Record<string, unknown>>;

/** Keys shared by connection and state models. */
interface ModelBase {
  /** Creation arguments that the type requires, e.g. `{ on_new_request: handler }`. */
  readonly required_creation_arguments?: CreationArguments | null;
  /** Creation arguments that the type accepts, e.g. `{ topic: 'prices' }`. */
  readonly optional_creation_arguments?: CreationArguments | null;
  /** Arguments every message must carry. */
  readonly required_arguments?: ArgumentModel | null;
  /** Arguments a message may carry. */
  readonly optional_arguments?: ArgumentModel | null;
  /** Return arguments every reply must carry. */
  readonly required_return_arguments?: ArgumentModel | null;
  /** Return arguments a reply may carry. */
  readonly optional_return_arguments?: ArgumentModel | null;
}

/** A connection model (seed keys). */
export interface ConnectionModel extends ModelBase {
  /** Registered connection type, e.g. `replyer`. */
  readonly connection_type: string;
  /** Values for the type's required connection arguments. */
  readonly required_connection_arguments?: CreationArguments | null;
  /** Values for the type's optional connection arguments. */
  readonly optional_connection_arguments?: CreationArguments | null;
}

/** A state model (seed keys). */
export interface StateModel extends ModelBase {
  /** Registered state type, e.g. `delta_update_in`. */
  readonly state_type: string;
  /** Values for the type's required state arguments. */
  readonly required_state_arguments?: CreationArguments | null;
  /** Values for the type's optional state arguments. */
  readonly optional_state_arguments?: CreationArguments | null;
}

/** The `config_model`: required and optional config keys with their types. */
export interface ConfigModel {
  /** Keys the config must have. */
  readonly required?: KeyedModel | null;
  /** Keys the config may have. */
  readonly optional?: KeyedModel | null;
}

type Get<M, K extends string> = M extends { readonly [P in K]?: infer V } ? V : undefined;

/** The arguments of a message of model `M`. */
export type ArgsOf<M> = InferArguments<Get<M, 'required_arguments'>, Get<M, 'optional_arguments'>>;

/** The return arguments of model `M` (`Record<string, never>`, i.e. `{}`, when it has none). */
export type ReturnOf<M> = InferArguments<Get<M, 'required_return_arguments'>, Get<M, 'optional_return_arguments'>>;

type HasReturn<M> = [Get<M, 'required_return_arguments'> | Get<M, 'optional_return_arguments'>] extends [undefined | null] ? false : true;

/** What a replying handler of model `M` returns: its return arguments (or nothing when it declares none). */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler body without `return` has type void, not undefined.
export type ReplyOf<M> = HasReturn<M> extends true ? ReturnOf<M> : ReturnOf<M> | void;

/** The untyped `to_send`, as the runner provides it. */
export type WideToSend = (output_type: 'connection' | 'state', output_name: string, args: any) => Promise<any>;

/**
 * `to_send(output_type, output_name, args)`: sends `args` through an out connection or state and
 * resolves to the validated return arguments. Typed: names are those of `CO` (out connections) and
 * `SO` (out states), args and result those of the named model.
 */
export type ToSend<CO = unknown, SO = unknown> = unknown extends CO
  ? WideToSend
  : TypedToSend<
      { [N in keyof CO]: ArgsOf<CO[N]> },
      { [N in keyof CO]: ReturnOf<CO[N]> },
      { [N in keyof SO]: StateSendOf<SO[N]> },
      { [N in keyof SO]: ReturnOf<SO[N]> }
    >;

/** A delta of state `V`: keys to set, `null` to delete a key. */
export type DeltaOf<V> = { [K in keyof V]?: V[K] | null };

/**
 * `to_send` args of the out-state types whose args are not the state value itself, by type name. A
 * third-party state plugin adds its own by declaration merging (`declare module '@sf/core'`).
 * `delta_update_out` stays here: service files import only `@sf/core` (plugins are discovered at run
 * time), so an entry merged in by `@sf/state-delta` would not be seen.
 */
export interface StateSendArgs<Value> {
  /** A delta (`is_snapshot` false or absent) or the whole state (`is_snapshot: true`). */
  delta_update_out: { state: Value; is_snapshot: true } | { state: DeltaOf<Value>; is_snapshot?: false };
}

/** What `to_send('state', …)` takes for out-state model `M`: its type's shape, else the state value. */
export type StateSendOf<M> =
  Get<M, 'state_type'> extends infer T extends keyof StateSendArgs<unknown> ? StateSendArgs<ArgsOf<M>>[T] : ArgsOf<M>;

/** `to_send` typed by the argument (`CA`, `SA`) and return (`CR`, `SR`) types of the out connections and states. */
export interface TypedToSend<CA, CR, SA, SR> {
  /** Sends through out connection `output_name`. */
  <N extends keyof CA & keyof CR & string>(output_type: 'connection', output_name: N, args: CA[N]): Promise<CR[N]>;
  /** Updates out state `output_name`. */
  <N extends keyof SA & keyof SR & string>(output_type: 'state', output_name: N, args: SA[N]): Promise<SR[N]>;
}

/** `states`: in-state name → its current value. */
export type States<SI = unknown> = unknown extends SI ? any : { [N in keyof SI]: ArgsOf<SI[N]> };

/** The merged config: keys of `config_model` typed, other keys (extra command-line pairs) unknown. */
export type Config<Cfg = unknown> = unknown extends Cfg
  ? any
  : InferArguments<Get<Cfg, 'required'>, Get<Cfg, 'optional'>> & Record<string, unknown>;

/** What handlers receive besides their args. */
export interface HandlerContext {
  /** Type of `to_send`. */
  to_send: unknown;
  /** Type of `states`. */
  states: unknown;
  /** Type of `config`. */
  config: unknown;
}

/** The wide context the runner works with. */
export interface WideContext extends HandlerContext {
  /** Untyped `to_send`. */
  to_send: WideToSend;
  /** Untyped states. */
  states: any;
  /** Untyped config. */
  config: any;
}

/** A handler: `handler(args, to_send, states, config)`, sync or async. */
export type Handler<Args = any, Result = unknown, X extends HandlerContext = WideContext> = (
  args: Args,
  to_send: X['to_send'],
  states: X['states'],
  config: X['config'],
) => MaybePromise<Result>;

/** The handler slots of an in-model's creation arguments, typed for model `M`. */
export type HandlerSlots<M, X extends HandlerContext> = {
  /** Replyer: called per request; returns the reply. */
  readonly on_new_request?: Handler<ArgsOf<M>, ReplyOf<M>, X>;
  /** Subscriber: called per message. */
  readonly on_new_message?: Handler<ArgsOf<M>, unknown, X>;
  /** In-state: called with the new value after each update. */
  readonly on_update?: Handler<ArgsOf<M>, unknown, X>;
  readonly [key: string]: unknown;
};

/** Addresses as `setup_addresses` receives and returns them (seed format). */
export type ServiceAddresses = Addresses;

/** Model name → creation arguments, as `setup_connections` / `setup_states` return them. */
export type SetupValues<Names extends PropertyKey = string> = { readonly [N in Names]?: CreationArguments };
