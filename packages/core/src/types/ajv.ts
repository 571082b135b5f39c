/**
 * The one shared ajv instance (JSON Schema draft-07) with the keywords for values JSON Schema
 * cannot describe. Every keyword does its work in `compile`, once per schema: sub-schemas become
 * compiled validators there, and validating a message only calls functions made at start.
 * - `sfInstance: 'Decimal'` — a constructor type checked in JS (see value-checks.ts);
 * - `sfSet: <schema>` — a JS Set whose elements match the schema;
 * - `sfMap: { key, value, keyText }` — a Map whose keys/values match `key`/`value`, or a plain
 *   object whose key strings match `keyText` (`false`: only the empty object) and values match `value`;
 * - `sfRaw: <schema>` — a user's raw schema, compiled as its own root so its `$ref`s resolve inside it.
 *
 * ajv is loaded (synchronously, it is CommonJS) on the first compile, not with the module: a
 * service whose models hold no raw schema and whose messages all pass the fast checks never loads
 * it, which saves a good part of every `sf run` start-up (loading ajv and compiling each model).
 */
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, AnySchema, ValidateFunction } from 'ajv';
import { isPlainObject } from '../util/describe-value.js';
import { INSTANCE_CHECKS } from './value-checks.js';

let instance: AjvClass | undefined;

/** The shared validator factory (all errors off: error texts come from explain.ts), created on first use. */
export function ajv(): AjvClass {
  instance ??= createAjv();
  return instance;
}

/** Compiles `schema` with the shared instance. */
export function compileSchema(schema: AnySchema): ValidateFunction {
  return ajv().compile(schema);
}

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
  const validate = compileSchema(schema);
  return (value) => validate(value) as boolean;
}

/**
 * The check of `schema`, compiled the first time it is called: what the fast checks accept never
 * needs it, so most of a service's schemas are never compiled. `compileCheck` reports a schema
 * error at once; use this only for schemas the framework generated (a user's raw schema is compiled
 * at start, where its error belongs).
 */
export function lazyCheck(schema: AnySchema): (value: unknown) => boolean {
  let check: ((value: unknown) => boolean) | undefined;
  return (value) => {
    check ??= compileCheck(schema);
    return check(value);
  };
}

function createAjv(): AjvClass {
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  const created = new Ajv({ strict: true, strictTypes: false, strictNumbers: false, allErrors: false });
  addKeywords(created);
  return created;
}

function addKeywords(ajv: AjvClass): void {
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
}
