/**
 * Argument models (`required_arguments` / `optional_arguments` and their kin): declared keys
 * `{ name: T }`, or one top-level `mapOf(K, V)` (the seed's `{str: int}`: any key of type K, each
 * value a V). Merges a required/optional pair into what the schema builder parses, and derives a
 * delta state's model.
 */
import { type ErrorLocation, ModelError } from '../errors.js';
import { describeValue, isPlainObject } from '../util/describe-value.js';
import { mapOf, nullable, optional } from './helpers.js';
import { type ArgumentModel, type MapSpec, SPEC_KIND, type TypeSpec } from './spec.js';

/** A required and an optional argument model, either of which may be absent. */
export interface ArgumentModelPair {
  /** Keys (or map entries) that must be present. */
  required?: ArgumentModel | null;
  /** Keys (or map entries) that may be present. */
  optional?: ArgumentModel | null;
}

/** A pair merged: declared keys (optional ones wrapped in `optional(T)`), or one top-level map. */
export type MergedModel =
  | { readonly keys: Record<string, TypeSpec>; readonly map?: undefined }
  | { readonly map: MapSpec; readonly required: boolean; readonly keys?: undefined };

/** Whether `model` is a top-level `mapOf(K, V)` rather than declared keys. */
export function isMapModel(model: unknown): model is MapSpec {
  return typeof model === 'object' && model !== null && (model as { [SPEC_KIND]?: unknown })[SPEC_KIND] === 'map';
}

/**
 * Merges a pair. A top-level `mapOf(K, V)` is the whole model: as `required_…` it needs at least
 * one entry, as `optional_…` any number (none included); it cannot be mixed with declared keys.
 */
export function mergeModels(models: ArgumentModelPair, root: string, location: ErrorLocation): MergedModel {
  const sides = (['required', 'optional'] as const).filter((side) => models[side] !== undefined && models[side] !== null);
  for (const side of sides) checkShape(models[side], side, root, location);
  const mapSide = sides.find((side) => isMapModel(models[side]));
  if (mapSide !== undefined) {
    const other = mapSide === 'required' ? models.optional : models.required;
    if (other !== undefined && other !== null && (isMapModel(other) || Object.keys(other).length > 0)) {
      throw new ModelError(
        `A top-level mapOf(K, V) is the whole arguments model of ${root}; ` +
          `it cannot be mixed with other ${isMapModel(other) ? 'maps' : 'declared keys'}`,
        {
          ...location,
          hint:
            'Keep one of the two: put the declared keys in their own model (another connection or state), ' +
            'or nest the map under a key: { levels: mapOf(K, V) }',
        },
      );
    }
    return { map: models[mapSide] as MapSpec, required: mapSide === 'required' };
  }
  const keys: Record<string, TypeSpec> = {};
  for (const side of sides) {
    for (const [name, spec] of Object.entries(models[side] as Record<string, TypeSpec>)) {
      if (Object.hasOwn(keys, name)) {
        throw new ModelError(`Argument '${name}' is both required and optional`, {
          ...location,
          argument: `${root}.${name}`,
          hint: 'Keep it in one of the two models',
        });
      }
      keys[name] = side === 'optional' && !isKind(spec, 'optional') ? optional(spec) : spec;
    }
  }
  return { keys };
}

/** A delta state's model: every key optional, and `null` (delete the key) allowed; a top-level map's values become nullable. */
export function partialModel(models: ArgumentModelPair): ArgumentModel {
  const map = isMapModel(models.required) ? models.required : isMapModel(models.optional) ? models.optional : undefined;
  if (map !== undefined) return mapOf(map.key, nullable(map.value));
  const entries = Object.entries({ ...models.optional, ...models.required } as Record<string, TypeSpec>);
  return Object.fromEntries(entries.map(([key, spec]) => [key, optional(nullable(isKind(spec, 'optional') ? spec.inner : spec))]));
}

/** Whether a model declares no key and no map. */
export function isEmptyModel(model: ArgumentModel | null | undefined): boolean {
  return model === undefined || model === null || (!isMapModel(model) && Object.keys(model).length === 0);
}

function checkShape(model: unknown, side: 'required' | 'optional', root: string, location: ErrorLocation): void {
  if (isMapModel(model)) return;
  const helper = typeof model === 'object' && model !== null ? (model as { [SPEC_KIND]?: unknown })[SPEC_KIND] : undefined;
  if (isPlainObject(model) && helper === undefined) return;
  const found = helper === undefined ? describeValue(model) : `a ${String(helper)} type`;
  throw new ModelError(`The ${side} arguments of ${root} must be an object of name → type, or mapOf(K, V); found ${found}`, {
    ...location,
    hint: 'Write them like { order_id: String }, or mapOf(String, Number) for any keys, or leave them out',
  });
}

function isKind<K extends string>(spec: unknown, kind: K): spec is { [SPEC_KIND]: K; inner: TypeSpec } {
  return typeof spec === 'object' && spec !== null && (spec as { [SPEC_KIND]?: unknown })[SPEC_KIND] === kind;
}
