import { ValidationError } from '@sf/core';
import type { EndpointContext } from '@sf/core/plugin';

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
