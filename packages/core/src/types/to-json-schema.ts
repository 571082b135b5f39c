/**
 * TypeSpec → JSON Schema (draft-07). Plain JSON Schema where it can say the type; the custom
 * keywords of ajv.ts (`sfInstance`, `sfSet`, `sfMap`, `sfRaw`) where it cannot.
 */
import type { AnySchema } from 'ajv';
import type { MapKeyword } from './ajv.js';
import type { TypeSpec } from './spec.js';
import { type MapNode, parseSpec, type SpecNode } from './spec-node.js';
import { KEY_PATTERNS } from './value-checks.js';

/** The JSON Schema of `spec`; throws ModelError when `spec` is not a valid type. */
export function toJsonSchema(spec: TypeSpec): object {
  return nodeSchema(parseSpec(spec, '', { allowFunctions: true })) as object;
}

const SCHEMAS = new WeakMap<SpecNode, AnySchema>();

/** The schema object that {@link nodeSchema} made for `node` (the same object embedded in its parent's). */
export function schemaOfNode(node: SpecNode): AnySchema | undefined {
  return SCHEMAS.get(node);
}

/** The JSON Schema of a parsed type. */
export function nodeSchema(node: SpecNode): AnySchema {
  const schema = buildSchema(node);
  SCHEMAS.set(node, schema);
  return schema;
}

function buildSchema(node: SpecNode): AnySchema {
  switch (node.kind) {
    case 'scalar':
      switch (node.name) {
        case 'String':
          return { type: 'string' };
        case 'Number':
          return { type: 'number' };
        case 'Boolean':
          return { type: 'boolean' };
        default:
          return { sfInstance: node.name };
      }
    case 'list':
      return { type: 'array', items: nodeSchema(node.item) };
    case 'tuple': {
      const n = node.items.length;
      return { type: 'array', items: node.items.map(nodeSchema), minItems: n, maxItems: n };
    }
    case 'set':
      return { sfSet: nodeSchema(node.item) };
    case 'map': {
      if (node.arguments) return argumentsMapSchema(node);
      const keyword: MapKeyword = { key: nodeSchema(node.key), value: nodeSchema(node.value), keyText: keyTextSchema(node.key) };
      return { sfMap: keyword };
    }
    case 'literal':
      return { enum: [...node.values] };
    case 'nullable':
      return { anyOf: [{ type: 'null' }, nodeSchema(node.inner)] };
    case 'any':
      return {};
    case 'schema':
      return { sfRaw: node.schema };
    case 'model': {
      const properties = Object.fromEntries(node.fields.map((f) => [f.name, nodeSchema(f.node)]));
      const required = node.fields.filter((f) => !f.optional).map((f) => f.name);
      return {
        type: 'object',
        sfInstance: 'Object',
        properties,
        ...(required.length > 0 ? { required } : {}),
        additionalProperties: false,
      };
    }
  }
}

/** A whole arguments object that is a map: a plain object, its key strings read as K, its values V. */
function argumentsMapSchema(node: MapNode): AnySchema {
  return {
    type: 'object',
    sfInstance: 'Object',
    propertyNames: keyTextSchema(node.key),
    additionalProperties: nodeSchema(node.value),
    ...(node.nonEmpty ? { minProperties: 1 } : {}),
  };
}

/** Schema for the key strings of a plain-object map with keys of type `key` (see `mapOf`), `false` when keys cannot be text. */
export function keyTextSchema(key: SpecNode): AnySchema | false {
  switch (key.kind) {
    case 'any':
      return {};
    case 'literal':
      return { enum: key.values.map(String) };
    case 'schema':
      return { sfRaw: key.schema };
    case 'scalar': {
      if (key.name === 'String') return {};
      if (key.name === 'Boolean') return { enum: ['true', 'false'] };
      const pattern = KEY_PATTERNS[key.name];
      return pattern === undefined ? false : { pattern };
    }
    default:
      return false;
  }
}
