import type { Kind } from '../plugin/contract.js';

/** Top-level keys of a connection model (seed spelling). */
export const CONNECTION_MODEL_KEYS = [
  'connection_type',
  'required_creation_arguments',
  'optional_creation_arguments',
  'required_connection_arguments',
  'optional_connection_arguments',
  'required_arguments',
  'optional_arguments',
  'required_return_arguments',
  'optional_return_arguments',
] as const;

/** Top-level keys of a state model (seed spelling). */
export const STATE_MODEL_KEYS = [
  'state_type',
  'required_creation_arguments',
  'optional_creation_arguments',
  'required_state_arguments',
  'optional_state_arguments',
  'required_arguments',
  'optional_arguments',
  'required_return_arguments',
  'optional_return_arguments',
] as const;

/** Keys of `config_model`. */
export const CONFIG_MODEL_KEYS = ['required', 'optional'] as const;

/** Keys of `connection_models` / `state_models`. */
export const SIDE_KEYS = ['in', 'out'] as const;

/** The spelling of each model key that differs between connections and states. */
export interface KindKeys {
  /** `connection_models` or `state_models`. */
  section: 'connection_models' | 'state_models';
  /** `connection_type` or `state_type`. */
  type: 'connection_type' | 'state_type';
  /** `required_connection_arguments` or `required_state_arguments`. */
  requiredTypeArguments: 'required_connection_arguments' | 'required_state_arguments';
  /** `optional_connection_arguments` or `optional_state_arguments`. */
  optionalTypeArguments: 'optional_connection_arguments' | 'optional_state_arguments';
  /** All valid keys of a model of this kind. */
  all: readonly string[];
}

/** Model key spellings per kind. */
export const KIND_KEYS: Readonly<Record<Kind, KindKeys>> = {
  connection: {
    section: 'connection_models',
    type: 'connection_type',
    requiredTypeArguments: 'required_connection_arguments',
    optionalTypeArguments: 'optional_connection_arguments',
    all: CONNECTION_MODEL_KEYS,
  },
  state: {
    section: 'state_models',
    type: 'state_type',
    requiredTypeArguments: 'required_state_arguments',
    optionalTypeArguments: 'optional_state_arguments',
    all: STATE_MODEL_KEYS,
  },
};

/**
 * The spelling in models of `kind` of a key that belongs to the other kind (`required_connection_arguments`
 * in a state model → `required_state_arguments`), or `undefined` when `key` is not such a key.
 */
export function counterpartKey(key: string, kind: Kind): string | undefined {
  const other = KIND_KEYS[kind === 'connection' ? 'state' : 'connection'];
  for (const field of ['type', 'requiredTypeArguments', 'optionalTypeArguments'] as const) {
    if (other[field] === key) return KIND_KEYS[kind][field];
  }
  return undefined;
}
