import { ValidationError } from '../errors.js';
import type { EndpointContext } from './contract.js';

/**
 * Reads numeric creation argument `name`, applying `fallback` when it is absent and rejecting
 * values below `min` (or equal to it, if `exclusive`) with a ValidationError naming the argument.
 */
export function numberArgument(context: EndpointContext, name: string, fallback: number, min: number, exclusive: boolean): number {
  const value = context.creation[name] ?? fallback;
  if (typeof value === 'number' && Number.isFinite(value) && (exclusive ? value > min : value >= min)) return value;
  throw outOfRange(context, name, `a finite number ${exclusive ? '>' : '>='} ${min}`, value);
}

/**
 * Reads whole-number creation argument `name` in `min`…`max` (no upper limit by default), applying
 * `fallback` when it is absent; anything else is a ValidationError naming the argument and the range.
 */
export function integerArgument(
  context: EndpointContext,
  name: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = context.creation[name] ?? fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  const range = max === Number.MAX_SAFE_INTEGER ? `from ${min} up` : `from ${min} to ${max}`;
  throw outOfRange(context, name, `a whole number ${range}`, value, `Leave it out for the default (${fallback})`);
}

function outOfRange(context: EndpointContext, name: string, expected: string, value: unknown, hint?: string): ValidationError {
  return new ValidationError(
    `Creation argument ${name} is out of range`,
    { expected, received: String(value) },
    { service: context.service, model: context.modelPath, argument: `optional_creation_arguments.${name}`, hint },
  );
}
