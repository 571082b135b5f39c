/** Compiles a pair of argument models, once, into a validator of an arguments object. */
import type { AnySchema } from 'ajv';
import { type ErrorLocation, ModelError, ValidationError } from '../errors.js';
import { compileSchema, lazyCheck } from './ajv.js';
import { type ArgumentModelPair, mergeModels } from './argument-model.js';
import { describeNode, describeReceived } from './describe.js';
import { explain } from './explain.js';
import { fastCheck } from './fast-check.js';
import type { MapSpec } from './spec.js';
import { type Check, type MapNode, type ModelNode, type ParseOptions, parseModel, parseSpec, type SpecNode } from './spec-node.js';
import { keyTextSchema, nodeSchema, schemaOfNode } from './to-json-schema.js';
import { SCALAR_CHECKS } from './value-checks.js';

export type { ArgumentModel } from './spec.js';

/** Checks arguments objects against the models it was compiled from. */
export interface ArgumentsValidator {
  /** Throws a ValidationError naming the first problem when `value` does not match. */
  assert(value: unknown): void;
  /** The first problem as a ValidationError, or undefined when `value` matches. */
  check(value: unknown): ValidationError | undefined;
  /** The JSON Schema it was compiled from. */
  readonly schema: object;
  /** The parsed model (declared keys, or a top-level map): what the JSON forms (`codec/json-form.ts`) read and `sf check` compares. */
  readonly node: ModelNode | MapNode;
}

/** Where the models sit, for error messages, and what they may contain. */
export interface CompileWhere {
  /** Path of the service file. */
  service?: string;
  /** Model path, e.g. `connection_models.in.cancel_order`. */
  model?: string;
  /** Name of the checked object in argument paths: `args`, `return_args`, `config`, … */
  root: string;
  /** Whether `Function` is an allowed type (creation arguments only). */
  allowFunctions?: boolean;
}

/** An argument model parsed and compiled, before it becomes a validator (what the tests of the fast path compare). */
export interface CompiledModel {
  /** The parsed model (declared keys, or a top-level map), every node's check compiled. */
  readonly node: ModelNode | MapNode;
  /** Its JSON Schema. */
  readonly schema: object;
  /** The ajv validator of the schema: the authority on what matches. */
  readonly validate: (value: unknown) => boolean;
  /** The allocation-free check of the valid path; it never accepts what `validate` rejects. */
  readonly fast: Check;
  /** Service and model, for error messages. */
  readonly location: ErrorLocation;
}

/** Parses and compiles a pair of argument models; throws ModelError for a model that is not valid. */
export function compileModel(models: ArgumentModelPair, where: CompileWhere): CompiledModel {
  const location: ErrorLocation = {};
  if (where.service !== undefined) location.service = where.service;
  if (where.model !== undefined) location.model = where.model;
  const options: ParseOptions = { allowFunctions: where.allowFunctions ?? false, location };
  const merged = mergeModels(models, where.root, location);
  const node =
    merged.map === undefined
      ? parseModel(merged.keys, where.root, options)
      : parseMapArguments(merged.map, merged.required, where.root, options);
  node.arguments = true;
  const schema = nodeSchema(node) as object;
  compileTree(node, location);
  return { node, schema, validate: lazyCheck(schema), fast: fastCheck(node), location };
}

/**
 * One validator over an arguments object: keys of `required` must be present, keys of `optional`
 * may be absent (or `undefined`) but not `null` unless their type is `nullable(T)`, other keys
 * are rejected. A top-level `mapOf(K, V)` takes a plain object whose every key reads as K and
 * whose every value is a V (at least one entry when it is the `required` model). Throws
 * ModelError at once for a model that is not valid. A value the fast check accepts is valid;
 * anything else goes to ajv, then to the error finder.
 */
export function compileArguments(models: ArgumentModelPair, where: CompileWhere): ArgumentsValidator {
  const { node, schema, validate, fast, location } = compileModel(models, where);

  const check = (value: unknown): ValidationError | undefined => {
    if (fast(value) || validate(value)) return undefined;
    const failure = explain(node, value, where.root) ?? {
      path: where.root,
      what: 'Value does not match its type',
      expected: describeNode(node),
      received: describeReceived(value),
    };
    return new ValidationError(
      failure.what,
      { expected: failure.expected, received: failure.received },
      { ...location, argument: failure.path, ...(failure.hint === undefined ? {} : { hint: failure.hint }) },
    );
  };
  return {
    schema,
    node,
    check,
    assert(value) {
      const error = check(value);
      if (error) throw error;
    },
  };
}

/** Parses a top-level `mapOf(K, V)`: its keys are argument names, so K must be readable from text. */
function parseMapArguments(map: MapSpec, required: boolean, root: string, options: ParseOptions): MapNode {
  const node = parseSpec(map, root, options) as MapNode;
  if (keyTextSchema(node.key) === false) {
    throw new ModelError(
      `The keys of a top-level mapOf(K, V) are the argument names, which are text on the wire; ${describeNode(node.key)} keys cannot be`,
      {
        ...options.location,
        argument: `${root}<key>`,
        hint:
          'Use String, Number, BigInt, Decimal, UUID, Boolean, Date, oneOf(...) or jsonSchema({...}) keys, ' +
          'or nest the map under a key: { levels: mapOf(K, V) }',
      },
    );
  }
  node.nonEmpty = required;
  return node;
}

/**
 * Gives every node its check (children first, so a bad raw schema is reported where it is).
 * Leaves whose schema is a single `typeof`/instance/`enum` test use that test directly: compiling
 * each would cost about a millisecond at start and change nothing. A user's raw schema is compiled
 * now (its errors belong to start-up, and the fast check calls it); the schemas generated for the
 * other nodes are compiled on their first use (`lazyCheck`), since the fast checks answer for
 * every valid value and most are never needed.
 */
function compileTree(node: SpecNode, location: ErrorLocation): void {
  for (const child of childrenOf(node)) compileTree(child, location);
  if (node.kind === 'scalar') {
    node.check = SCALAR_CHECKS[node.name];
    return;
  }
  if (node.kind === 'literal') {
    const values: readonly unknown[] = node.values;
    node.check = (value) => values.includes(value);
    return;
  }
  if (node.kind === 'any') {
    node.check = () => true;
    return;
  }
  const schema = schemaOfNode(node) ?? nodeSchema(node);
  try {
    if (node.kind === 'schema') node.raw = compileSchema(node.schema);
    if (node.kind === 'map') {
      const keyText = keyTextSchema(node.key);
      node.keyText = keyText === false ? () => false : lazyCheck(keyText);
    }
    node.check = lazyCheck(schema as AnySchema);
  } catch (error) {
    if (error instanceof ModelError) throw error;
    throw new ModelError(`Invalid JSON Schema: ${(error as Error).message}`, {
      ...location,
      argument: node.path,
      cause: error,
      hint: 'Fix the schema given to jsonSchema(...) (JSON Schema draft-07, ajv strict mode)',
    });
  }
}

function childrenOf(node: SpecNode): readonly SpecNode[] {
  switch (node.kind) {
    case 'list':
    case 'set':
      return [node.item];
    case 'tuple':
      return node.items;
    case 'map':
      return [node.key, node.value];
    case 'nullable':
      return [node.inner];
    case 'model':
      return node.fields.map((f) => f.node);
    default:
      return [];
  }
}
