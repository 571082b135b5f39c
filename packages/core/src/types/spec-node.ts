/**
 * Reads a {@link TypeSpec} once into a tree of plain nodes that the schema builder, the
 * descriptions and the error finder share. Anything that is not a valid type is a ModelError.
 */
import type { ValidateFunction } from 'ajv';
import { type ErrorLocation, ModelError } from '../errors.js';
import { isPlainObject } from '../util/describe-value.js';
import { indexPath, keyPath } from './arg-path.js';
import { type HelperSpec, type Literal, SPEC_KIND } from './spec.js';
import { SCALAR_NAMES, type ScalarName } from './value-checks.js';

/** A check compiled from a node's schema, filled in by `compileArguments`. */
export type Check = (value: unknown) => boolean;

interface NodeBase {
  /** Where the node sits in the model, e.g. `args.items[]`. */
  readonly path: string;
  /** Compiled check of this node's schema (set once compiled). */
  check?: Check;
  /** Declared with `secret(T)`: error messages never quote its value (nor anything inside it). */
  secret?: boolean;
}

/** A key of a model node. */
export interface FieldNode {
  /** Key name. */
  readonly name: string;
  /** Its type. */
  readonly node: SpecNode;
  /** Whether the key may be absent. */
  readonly optional: boolean;
}

/** One node of a parsed type. */
export type SpecNode = NodeBase &
  (
    | { readonly kind: 'scalar'; readonly name: ScalarName }
    | { readonly kind: 'list'; readonly item: SpecNode }
    | { readonly kind: 'tuple'; readonly items: readonly SpecNode[] }
    | { readonly kind: 'set'; readonly item: SpecNode }
    | {
        readonly kind: 'map';
        readonly key: SpecNode;
        readonly value: SpecNode;
        /** Check of a key as text (a plain object's key), set once compiled. */
        keyText?: Check;
        /** A whole arguments object: a plain object only (no JS Map), its keys the map's keys. */
        arguments?: boolean;
        /** A top-level map in `required_…`: at least one entry. */
        nonEmpty?: boolean;
      }
    | { readonly kind: 'literal'; readonly values: readonly Literal[] }
    | { readonly kind: 'nullable'; readonly inner: SpecNode }
    | { readonly kind: 'any' }
    | { readonly kind: 'schema'; readonly schema: object | boolean; raw?: ValidateFunction }
    | { readonly kind: 'model'; readonly fields: readonly FieldNode[]; arguments?: boolean }
  );

/** A model node. */
export type ModelNode = Extract<SpecNode, { kind: 'model' }>;

/** A map node. */
export type MapNode = Extract<SpecNode, { kind: 'map' }>;

/** Options of {@link parseSpec}. */
export interface ParseOptions {
  /** Whether `Function` is allowed (creation arguments only). */
  allowFunctions: boolean;
  /** Service and model, for error messages. */
  location?: ErrorLocation;
}

const VALID_FORMS =
  'String, Number, Boolean, BigInt, Date, Uint8Array, Object, Function, Decimal, UUID, [T] (list of T), ' +
  'a nested model { key: T }, mapOf(K, V), tupleOf(A, B), setOf(T), oneOf(...values), ' +
  'optional(T), nullable(T), secret(T), any(), jsonSchema({...})';

/** Parses `spec` at `path`; throws ModelError naming the path, what was found and the valid forms. */
export function parseSpec(spec: unknown, path: string, options: ParseOptions, ancestors: object[] = []): SpecNode {
  const scalar = SCALAR_NAMES.get(spec);
  if (scalar !== undefined) {
    if (scalar === 'Function' && !options.allowFunctions) {
      throw invalid(
        'Function is allowed only in creation arguments',
        path,
        options,
        'Pass data, not functions, in messages, state and config',
      );
    }
    return { kind: 'scalar', name: scalar, path };
  }
  if (typeof spec !== 'object' || spec === null) throw notAType(spec, path, options);
  if (ancestors.includes(spec))
    throw invalid('A type contains itself', path, options, 'Use jsonSchema({...}) with $ref for recursive data');
  const inside = [...ancestors, spec];
  if (Array.isArray(spec)) {
    if (spec.length !== 1) {
      throw invalid(
        `A list type is written [T] with exactly one element; found ${spec.length} elements`,
        path,
        options,
        'For a fixed-length array use tupleOf(A, B, ...)',
      );
    }
    return { kind: 'list', item: parseSpec(spec[0], `${path}[]`, options, inside), path };
  }
  if (SPEC_KIND in spec) return parseHelper(spec as HelperSpec, path, options, inside);
  if (!isPlainObject(spec)) throw notAType(spec, path, options);
  return parseModel(spec, path, options, inside);
}

/** Parses a nested model (or an argument model): its keys, `optional(T)` marking optional ones. */
export function parseModel(model: Record<string, unknown>, path: string, options: ParseOptions, ancestors: object[] = []): ModelNode {
  const fields = Object.entries(model).map(([name, spec]): FieldNode => {
    const at = keyPath(path, name);
    const keyType = TYPE_AS_KEY.get(name);
    if (keyType !== undefined) {
      throw invalid(
        `A type is used as a key ({ [${keyType}]: ... } makes the key the text of ${keyType})`,
        at,
        options,
        `For any key of a type, write mapOf(${keyType}, V) (the seed's {${keyType}: V})`,
      );
    }
    if (isHelper(spec, 'optional')) return { name, node: parseSpec(spec.inner, at, options, ancestors), optional: true };
    return { name, node: parseSpec(spec, at, options, ancestors), optional: false };
  });
  return { kind: 'model', fields, path };
}

/** The key text of `{ [String]: ... }` (the constructor's source) → the type's name. */
const TYPE_AS_KEY: ReadonlyMap<string, ScalarName> = new Map([...SCALAR_NAMES].map(([type, name]) => [String(type), name]));

function parseHelper(spec: HelperSpec, path: string, options: ParseOptions, ancestors: object[]): SpecNode {
  switch (spec[SPEC_KIND]) {
    case 'map':
      return {
        kind: 'map',
        key: parseSpec(spec.key, `${path}<key>`, options, ancestors),
        value: parseSpec(spec.value, `${path}<value>`, options, ancestors),
        path,
      };
    case 'tuple':
      return { kind: 'tuple', items: spec.items.map((item, i) => parseSpec(item, indexPath(path, i), options, ancestors)), path };
    case 'set':
      return { kind: 'set', item: parseSpec(spec.item, `${path}[]`, options, ancestors), path };
    case 'literal':
      if (spec.values.length === 0)
        throw invalid('oneOf() needs at least one value', path, options, "List the allowed values: oneOf('buy', 'sell')");
      return { kind: 'literal', values: spec.values, path };
    case 'nullable':
      return { kind: 'nullable', inner: parseSpec(spec.inner, path, options, ancestors), path };
    case 'secret': {
      // Checked like its inner type; the logger redacts it (runner/redaction.ts), error messages do not quote it (explain.ts).
      const node = parseSpec(spec.inner, path, options, ancestors);
      node.secret = true;
      return node;
    }
    case 'any':
      return { kind: 'any', path };
    case 'schema':
      return { kind: 'schema', schema: spec.schema, path };
    case 'optional':
      throw invalid(
        'optional(T) marks a key of a model as optional and cannot stand anywhere else',
        path,
        options,
        'For "T or null" use nullable(T)',
      );
    default:
      throw notAType(spec, path, options);
  }
}

function isHelper<K extends HelperSpec[typeof SPEC_KIND]>(spec: unknown, kind: K): spec is Extract<HelperSpec, { [SPEC_KIND]: K }> {
  return typeof spec === 'object' && spec !== null && (spec as HelperSpec)[SPEC_KIND] === kind;
}

const HINTS: ReadonlyMap<unknown, string> = new Map<unknown, string>([
  [Map, 'For a map use mapOf(K, V), or Object for any plain object'],
  [Set, 'For a set use setOf(T)'],
  [Array, 'For a list write [T], e.g. [String]'],
  [Symbol, 'Symbols cannot be sent'],
  [RegExp, "For a pattern use jsonSchema({ type: 'string', pattern: '...' })"],
  [globalThis.Buffer, 'For bytes use Uint8Array (Buffers are Uint8Arrays)'],
  [ArrayBuffer, 'For bytes use Uint8Array'],
]);

function notAType(spec: unknown, path: string, options: ParseOptions): ModelError {
  let found: string;
  let hint = HINTS.get(spec);
  if (spec === undefined || spec === null) {
    found = String(spec);
    hint = 'Every argument needs a type; use any() to accept any value';
  } else if (typeof spec === 'string') {
    found = `the string ${JSON.stringify(spec)}`;
    hint = `Write a constructor such as String, not a string; for a fixed value use oneOf(${JSON.stringify(spec)})`;
  } else if (typeof spec === 'number' || typeof spec === 'boolean') {
    found = `the ${typeof spec} ${spec}`;
    hint = `For a fixed value use oneOf(${spec})`;
  } else if (typeof spec === 'function') {
    found = `the function or class ${spec.name || '(anonymous)'}`;
    hint ??= 'Only the listed constructors are types; for other values use jsonSchema({...}) or any()';
  } else {
    found = `an instance of ${(spec as object).constructor?.name ?? 'an unknown class'}`;
  }
  return invalid(`Not a valid argument type: found ${found}; valid forms are ${VALID_FORMS}`, path, options, hint);
}

function invalid(what: string, path: string, options: ParseOptions, hint?: string): ModelError {
  return new ModelError(what, { ...options.location, ...(path === '' ? {} : { argument: path }), ...(hint === undefined ? {} : { hint }) });
}
