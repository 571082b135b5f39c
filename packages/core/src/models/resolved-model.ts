import type { ArgumentModels, Kind, Side, TypeDefinition } from '../plugin/contract.js';
import type { ArgumentsValidator } from '../types/compile-arguments.js';

/** One connection or state model, checked, resolved to its plugin type and compiled. Built once at start. */
export interface ResolvedModel {
  /** Model name, e.g. `cancel_order`. */
  readonly name: string;
  /** `connection` or `state`. */
  readonly kind: Kind;
  /** `in` or `out`. */
  readonly side: Side;
  /** Model path, e.g. `connection_models.in.cancel_order`. */
  readonly path: string;
  /** The type name as written in the model (may be an alias). */
  readonly typeName: string;
  /** The package that provides the type. */
  readonly pluginName: string;
  /** The type's definition from its plugin. */
  readonly definition: TypeDefinition;
  /** Creation argument values (model's required + optional, then `setup_connections`/`setup_states`). */
  readonly creation: Readonly<Record<string, unknown>>;
  /** Connection/state argument values. */
  readonly typeArguments: Readonly<Record<string, unknown>>;
  /** The handler function for `in` connections, from the creation argument the type names. */
  readonly handler: ((...args: any[]) => unknown) | undefined;
  /** Socket name → address for this model (the first, where the addresses file lists several). */
  readonly addresses: Readonly<Record<string, string>>;
  /** Socket name → every address the addresses file gives it (one, or one per replica of the peer). */
  readonly addressLists: Readonly<Record<string, readonly string[]>>;
  /** The argument models as declared, for listings: message args and return args. */
  readonly declared: {
    /** `required_arguments` / `optional_arguments`. */
    readonly args: ArgumentModels;
    /** `required_return_arguments` / `optional_return_arguments`. */
    readonly returns: ArgumentModels;
  };
  /** Validates a message's `args`, or a state's whole value. */
  readonly args: ArgumentsValidator;
  /** Validates `to_send`'s args: the type's `sendModel` when it has one, else {@link args}. */
  readonly send: ArgumentsValidator;
  /** States: validates a delta (every key optional, `null` deletes it). */
  readonly partial: ArgumentsValidator | undefined;
  /** Validates return arguments; `undefined` when the model declares none (the reply is `{}`). */
  readonly returns: ArgumentsValidator | undefined;
}
