import { ValidationError } from '@sf/core';
import type { EndpointContext } from '@sf/core/plugin';

/** Whole-number creation argument `name` in `min`…`max`, `fallback` when absent; else a ValidationError naming it. */
export function wholeArgument(
  context: EndpointContext,
  name: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = context.creation[name] ?? fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  throw new ValidationError(
    `Creation argument ${name} is out of range`,
    { expected: `a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}`, received: String(value) },
    {
      service: context.service,
      model: context.modelPath,
      argument: `optional_creation_arguments.${name}`,
      hint: `Leave it out for the default (${fallback})`,
    },
  );
}

/** Characters of one NATS subject token the framework accepts in a subject, topic or prefix. */
const TOKEN = /^[A-Za-z0-9_\-$]+$/;

/**
 * Checks a dot-separated subject (or a subscriber's topic, where `wildcards` allows `*` and a last
 * `>`; or with `oneToken` a name without dots, such as a KV bucket); a bad one is a
 * ValidationError naming the argument it came from.
 */
export function checkSubject(context: EndpointContext, subject: string, argument: string, wildcards = false, oneToken = false): string {
  const tokens = subject.split('.');
  const ok = tokens.every((token, n) => TOKEN.test(token) || (wildcards && (token === '*' || (token === '>' && n === tokens.length - 1))));
  if (ok && !(oneToken && tokens.length > 1)) return subject;
  const expected = oneToken
    ? 'letters, digits, _ -'
    : `dot-separated tokens of letters, digits, _ - $${wildcards ? ' (or * / a last >)' : ''}`;
  throw new ValidationError(
    `${argument} is not a valid NATS ${oneToken ? 'name' : 'subject'}`,
    { expected, received: JSON.stringify(subject) },
    {
      service: context.service,
      model: context.modelPath,
      argument: `optional_creation_arguments.${argument}`,
      hint: 'Use e.g. "orders.eu"; no spaces, no empty tokens',
    },
  );
}
