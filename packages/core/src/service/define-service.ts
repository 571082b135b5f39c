/**
 * `defineService({...})`: returns its input unchanged and gives it types. TypeScript infers the
 * models from the literal (no `as const` needed) and types every handler, `to_send`, `states`
 * and `config` from them.
 *
 * How: each model group is a homomorphic mapped type over its inferred type parameter, down to
 * the model keys. TypeScript infers such "reverse mapped" types property by property, so the
 * argument models are inferred in its first pass while the handler functions beside them (which
 * need those very types) wait for the second pass. A plain `C & {...}` parameter would not work:
 * an object holding an untyped function is not inferable as a whole.
 */
import type { Addresses } from '../config/load-addresses.js';
import type { ArgumentModel } from '../types/spec.js';
import type {
  Config,
  ConfigModel,
  ConnectionModel,
  CreationArguments,
  HandlerContext,
  HandlerSlots,
  MaybePromise,
  SetupValues,
  StateModel,
  States,
  ToSend,
  WideToSend,
} from './service-types.js';

type CreationKey = 'required_creation_arguments' | 'optional_creation_arguments';
type ArgumentKey = 'required_arguments' | 'optional_arguments' | 'required_return_arguments' | 'optional_return_arguments';
type TypeKey<K> = K extends 'connection' ? 'connection_type' : 'state_type';
type TypeArgumentKey<K> = K extends 'connection'
  ? 'required_connection_arguments' | 'optional_connection_arguments'
  : 'required_state_arguments' | 'optional_state_arguments';

/** One model, checked key by key; `X` is the handler context for in-models, `undefined` for out-models. */
type ModelSlots<M, K extends 'connection' | 'state', X> = {
  [P in keyof M]: P extends CreationKey
    ? (X extends undefined ? CreationArguments : HandlerSlots<NoInfer<M>, Extract<X, HandlerContext>>) | null
    : P extends ArgumentKey
      ? M[P] & (ArgumentModel | null)
      : P extends TypeKey<K>
        ? string
        : P extends TypeArgumentKey<K>
          ? CreationArguments | null
          : never;
} & { readonly [P in TypeKey<K>]: string };

type Models<Ms, K extends 'connection' | 'state', X> = { readonly [N in keyof Ms]: ModelSlots<Ms[N], K, X> };

type Context<CO, SO, SI, Cfg> = {
  to_send: ToSend<NoInfer<CO>, NoInfer<SO>>;
  states: States<NoInfer<SI>>;
  config: Config<NoInfer<Cfg>>;
};

/**
 * A service module typed from its models: `CI`/`CO` in/out connection models, `SI`/`SO` in/out
 * state models, `Cfg` the config model.
 */
export interface TypedService<CI, CO, SI, SO, Cfg> {
  /** `in` connections trigger handlers; `out` connections are called through `to_send`. */
  readonly connection_models?: {
    /** Connections that receive. */
    readonly in?: Models<CI, 'connection', Context<CO, SO, SI, Cfg>>;
    /** Connections that send. */
    readonly out?: Models<CO, 'connection', undefined>;
  };
  /** `in` states are read through `states`; `out` states are written through `to_send`. */
  readonly state_models?: {
    /** States this service reads. */
    readonly in?: Models<SI, 'state', Context<CO, SO, SI, Cfg>>;
    /** States this service writes. */
    readonly out?: Models<SO, 'state', undefined>;
  };
  /** Required and optional config keys. */
  readonly config_model?: Cfg;
  /** Main mode (`-m`): drives the service. */
  readonly main?: (to_send: Context<CO, SO, SI, Cfg>['to_send'], config: Context<CO, SO, SI, Cfg>['config']) => unknown;
  /** Changes the config before it is checked; returned keys overwrite. */
  readonly setup_config?: (config: Record<string, unknown>) => MaybePromise<Record<string, unknown> | undefined>;
  /** Changes the addresses; what it returns replaces them. */
  readonly setup_addresses?: (addresses: Addresses, config: Context<CO, SO, SI, Cfg>['config']) => MaybePromise<Addresses | undefined>;
  /** Creation arguments to merge into connection models, by name. */
  readonly setup_connections?: (config: Context<CO, SO, SI, Cfg>['config']) => MaybePromise<SetupValues<NoInfer<keyof CI | keyof CO>>>;
  /** Creation arguments to merge into state models, by name. */
  readonly setup_states?: (config: Context<CO, SO, SI, Cfg>['config']) => MaybePromise<SetupValues<NoInfer<keyof SI | keyof SO>>>;
  /** Runs on SIGINT/SIGTERM before shutdown; `to_send` still works. */
  readonly sigint_handler?: (
    signal: NodeJS.Signals,
    to_send: Context<CO, SO, SI, Cfg>['to_send'],
    states: Context<CO, SO, SI, Cfg>['states'],
    config: Context<CO, SO, SI, Cfg>['config'],
  ) => unknown;
}

/** A service module as the runner sees it: models and functions, untyped. */
export interface ServiceDefinition {
  /** Connection models by side and name. */
  readonly connection_models?: {
    readonly in?: Readonly<Record<string, ConnectionModel>>;
    readonly out?: Readonly<Record<string, ConnectionModel>>;
  };
  /** State models by side and name. */
  readonly state_models?: { readonly in?: Readonly<Record<string, StateModel>>; readonly out?: Readonly<Record<string, StateModel>> };
  /** Required and optional config keys. */
  readonly config_model?: ConfigModel;
  /** `main(to_send, config)`. */
  readonly main?: (to_send: WideToSend, config: any) => unknown;
  /** `setup_config(config)`. */
  readonly setup_config?: (config: Record<string, unknown>) => unknown;
  /** `setup_addresses(addresses, config)`. */
  readonly setup_addresses?: (addresses: Addresses, config: any) => unknown;
  /** `setup_connections(config)`. */
  readonly setup_connections?: (config: any) => unknown;
  /** `setup_states(config)`. */
  readonly setup_states?: (config: any) => unknown;
  /** `sigint_handler(signal, to_send, states, config)`. */
  readonly sigint_handler?: (signal: NodeJS.Signals, to_send: WideToSend, states: any, config: any) => unknown;
}

/** Declares a service (default-export it). Returns `service` itself; only adds types. */
export function defineService<
  const CI extends object = {},
  const CO extends object = {},
  const SI extends object = {},
  const SO extends object = {},
  const Cfg extends ConfigModel = {},
>(service: TypedService<CI, CO, SI, SO, Cfg>): TypedService<CI, CO, SI, SO, Cfg> {
  return service;
}
