import { ValidationError } from '@sf/core';
import type { EndpointContext } from '@sf/core/plugin';

/**
 * Reads numeric creation argument `name`, applying `fallback` when it is absent and rejecting
 * values below `min` (or equal to it, if `exclusive`) with a ValidationError naming the argument.
 */
export function numberArgument(context: EndpointContext, name: string, fallback: number, min: number, exclusive: boolean): number {
  const value = context.creation[name] ?? fallback;
  const ok = typeof value === 'number' && Number.isFinite(value) && (exclusive ? value > min : value >= min);
  if (!ok) {
    throw new ValidationError(
      `Creation argument ${name} is out of range`,
      { expected: `a finite number ${exclusive ? '>' : '>='} ${min}`, received: String(value) },
      { service: context.service, model: context.modelPath, argument: `optional_creation_arguments.${name}` },
    );
  }
  return value;
}

/**
 * Reads whole-number creation argument `name` in `min`…`max`, applying `fallback` when it is
 * absent; anything else is a ValidationError naming the argument and the range.
 */
export function integerArgument(context: EndpointContext, name: string, fallback: number, min: number, max: number): number {
  const value = context.creation[name] ?? fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  throw new ValidationError(
    `Creation argument ${name} is out of range`,
    { expected: `a whole number from ${min} to ${max}`, received: String(value) },
    {
      service: context.service,
      model: context.modelPath,
      argument: `optional_creation_arguments.${name}`,
      hint: `Leave it out for the default (${fallback})`,
    },
  );
}
