/**
 * The one shared ajv instance (JSON Schema draft-07) with the keywords for values JSON Schema
 * cannot describe. Every keyword does its work in `compile`, once per schema: sub-schemas become
 * compiled validators there, and validating a message only calls functions made at start.
 * - `sfInstance: 'Decimal'` — a constructor type checked in JS (see value-checks.ts);
 * - `sfSet: <schema>` — a JS Set whose elements match the schema;
 * - `sfMap: { key, value, keyText }` — a Map whose keys/values match `key`/`value`, or a plain
 *   object whose key strings match `keyText` (`false`: only the empty object) and values match `value`;
 * - `sfRaw: <schema>` — a user's raw schema, compiled as its own root so its `$ref`s resolve inside it.
 */
import { Ajv, type AnySchema } from 'ajv';
import { isPlainObject } from '../util/describe-value.js';
import { INSTANCE_CHECKS } from './value-checks.js';

/** The shared validator factory (all errors off: error texts come from explain.ts). */
export const ajv = new Ajv({ strict: true, strictTypes: false, strictNumbers: false, allErrors: false });

/** The value of the `sfMap` keyword. */
export interface MapKeyword {
  /** Schema of a Map's keys. */
  key: AnySchema;
  /** Schema of the values. */
  value: AnySchema;
  /** Schema of a plain object's key strings, or `false` when only Maps are accepted. */
  keyText: AnySchema | false;
}

/** Compiles `schema` with the shared instance into a plain boolean check. */
export function compileCheck(schema: AnySchema): (value: unknown) => boolean {
  const validate = ajv.compile(schema);
  return (value) => validate(value) as boolean;
}

ajv.addKeyword({
  keyword: 'sfInstance',
  schemaType: 'string',
  compile(name: string) {
    const check = INSTANCE_CHECKS[name];
    if (check === undefined)
      throw new Error(`sfInstance: unknown type ${JSON.stringify(name)}; known: ${Object.keys(INSTANCE_CHECKS).join(', ')}`);
    return check;
  },
});

ajv.addKeyword({
  keyword: 'sfSet',
  schemaType: ['object', 'boolean'],
  compile(itemSchema: AnySchema) {
    const item = compileCheck(itemSchema);
    return (data: unknown) => {
      if (!(data instanceof Set)) return false;
      for (const element of data) if (!item(element)) return false;
      return true;
    };
  },
});

ajv.addKeyword({
  keyword: 'sfMap',
  schemaType: 'object',
  compile(spec: MapKeyword) {
    const key = compileCheck(spec.key);
    const value = compileCheck(spec.value);
    const keyText = spec.keyText === false ? () => false : compileCheck(spec.keyText);
    return (data: unknown) => {
      if (data instanceof Map) {
        for (const [k, v] of data) if (!key(k) || !value(v)) return false;
        return true;
      }
      if (!isPlainObject(data)) return false;
      for (const k of Object.keys(data)) if (!keyText(k) || !value(data[k])) return false;
      return true;
    };
  },
});

ajv.addKeyword({
  keyword: 'sfRaw',
  schemaType: ['object', 'boolean'],
  compile: (raw: AnySchema) => compileCheck(raw),
});
