/**
 * A parsed model → the standard JSON Schema (2020-12, as OpenAPI 3.1 uses) of its JSON form (see
 * `codec/json-form.ts`): what an HTTP client sends and gets. Unlike `to-json-schema.ts` it has no
 * custom keywords: Decimal, UUID, Date, bytes and big integers are strings with a `format`.
 */
import type { SpecNode } from './spec-node.js';
import { KEY_PATTERNS } from './value-checks.js';

type Schema = Record<string, unknown>;

/** The JSON Schema of the JSON form of `node` (an arguments model, or any type inside one). */
export function jsonFormSchema(node: SpecNode): Schema {
  switch (node.kind) {
    case 'scalar':
      return scalarSchema(node.name);
    case 'list':
      return { type: 'array', items: jsonFormSchema(node.item) };
    case 'set':
      return { type: 'array', uniqueItems: true, items: jsonFormSchema(node.item) };
    case 'tuple': {
      const n = node.items.length;
      return { type: 'array', prefixItems: node.items.map(jsonFormSchema), minItems: n, maxItems: n };
    }
    case 'map': {
      const keys = node.key.kind === 'scalar' ? KEY_PATTERNS[node.key.name] : undefined;
      return {
        type: 'object',
        additionalProperties: jsonFormSchema(node.value),
        ...(keys === undefined ? {} : { propertyNames: { pattern: keys } }),
        ...(node.key.kind === 'literal' ? { propertyNames: { enum: node.key.values.map(String) } } : {}),
        ...(node.nonEmpty ? { minProperties: 1 } : {}),
      };
    }
    case 'literal':
      return { enum: [...node.values] };
    case 'nullable':
      return { anyOf: [jsonFormSchema(node.inner), { type: 'null' }] };
    case 'any':
      return {};
    case 'schema':
      return typeof node.schema === 'boolean' ? (node.schema ? {} : { not: {} }) : { ...(node.schema as Schema) };
    case 'model': {
      const properties = Object.fromEntries(node.fields.map((f) => [f.name, jsonFormSchema(f.node)]));
      const required = node.fields.filter((f) => !f.optional).map((f) => f.name);
      return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
    }
  }
}

function scalarSchema(name: string): Schema {
  switch (name) {
    case 'String':
      return { type: 'string' };
    case 'Number':
      return { type: 'number' };
    case 'Boolean':
      return { type: 'boolean' };
    case 'BigInt':
      return { oneOf: [{ type: 'integer' }, { type: 'string', pattern: '^-?(0|[1-9][0-9]*)$' }], format: 'int64' };
    case 'Decimal':
      return { type: 'string', format: 'decimal', pattern: KEY_PATTERNS.Decimal, examples: ['1.50'] };
    case 'UUID':
      return { type: 'string', format: 'uuid' };
    case 'Date':
      return { type: 'string', format: 'date-time' };
    case 'Uint8Array':
      return { type: 'string', contentEncoding: 'base64' };
    case 'Object':
      return { type: 'object' };
    default:
      return {};
  }
}
