import { didYouMean, SystemError } from '@sf/core';
import type { ErrorObject } from 'ajv';

/**
 * Turns ajv's errors for a system file into one SystemError: the deepest problem, its path in the
 * file (`services.pricer.replicas`), what is wrong and how to fix it (the schema's description
 * of that key, or the keys it allows).
 */
export function schemaError(errors: readonly ErrorObject[], file: string): SystemError {
  const best = [...errors].filter((error) => !['oneOf', 'anyOf', 'if'].includes(error.keyword)).sort(byDepth)[0] ?? errors[0]!;
  const path = jsonPath(best.instancePath);
  const where = path === '' ? 'the system file' : path;
  // A value that fits none of a oneOf's forms: the oneOf's description says which forms there are.
  const choice = errors.find((error) => error.keyword === 'oneOf' && error.instancePath === best.instancePath);
  const forms = (choice?.parentSchema as { description?: string } | undefined)?.description;
  if (forms !== undefined)
    return new SystemError(`${where} has none of the allowed forms (found ${JSON.stringify(best.data)})`, { file, hint: forms });
  const description = (best.parentSchema as { description?: string } | undefined)?.description;
  const { what, hint } = explain(best, where, description);
  return new SystemError(what, { file, hint });
}

function explain(error: ErrorObject, where: string, description: string | undefined): { what: string; hint: string } {
  const params = error.params as Record<string, unknown>;
  const schema = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys(schema?.properties ?? {});
      return { what: `Unknown key '${key}' at ${where}`, hint: didYouMean(key, allowed) || `Valid keys: ${allowed.join(', ')}` };
    }
    case 'required':
      return {
        what: `'${String(params.missingProperty)}' is missing at ${where}`,
        hint: `Add '${String(params.missingProperty)}'${description ? ` (${description})` : ''}`,
      };
    case 'propertyNames':
      return {
        what: `Name '${String(params.propertyName)}' at ${where} is not allowed`,
        hint: 'Service names start with a letter and hold letters, digits, _ and -',
      };
    case 'pattern':
      return {
        what: `${where} '${String(error.data)}' is not of the form service.name`,
        hint: description ?? 'Write the end as service.name, e.g. pricer.notional',
      };
    default:
      return {
        what: `${where} ${error.message ?? 'is not valid'}`,
        hint: description ?? 'See the schema: @sf/system/sf.system.schema.json',
      };
  }
}

function byDepth(a: ErrorObject, b: ErrorObject): number {
  return b.instancePath.split('/').length - a.instancePath.split('/').length;
}

/** `/services/pricer/replicas` → `services.pricer.replicas`; `/wires/0/from` → `wires[0].from`. */
function jsonPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path === '' ? part : `${path}.${part}`), '');
}
