import { jsonFromValue, valueFromJson } from '../codec/json-form.js';
import type { ArgumentsValidator } from '../types/compile-arguments.js';
import { jsonFormSchema } from '../types/json-form-schema.js';
import type { JsonForms } from './contract.js';

/**
 * The JSON forms of a model's messages: `args` for the arguments, `returns` for the return args
 * (none declared: `{}`). The schemas are built on first use: most transports never ask.
 */
export function jsonForms(args: Pick<ArgumentsValidator, 'node'>, returns?: Pick<ArgumentsValidator, 'node'>): JsonForms {
  let argsSchema: object | undefined;
  let returnsSchema: object | undefined;
  return {
    get argsSchema() {
      argsSchema ??= jsonFormSchema(args.node);
      return argsSchema;
    },
    get returnsSchema() {
      returnsSchema ??= returns === undefined ? { type: 'object', additionalProperties: false } : jsonFormSchema(returns.node);
      return returnsSchema;
    },
    argsFromJson: (json) => valueFromJson(json, args.node, 'args'),
    returnsToJson: (returnArgs) => jsonFromValue(returnArgs, 'return_args'),
  };
}
