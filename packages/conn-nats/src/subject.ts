import type { EndpointContext } from '@sf/core/plugin';
import { checkSubject } from './arguments.js';

/** Creation arguments that name the subject of a connection. */
export const SUBJECT_ARGUMENTS = { subject: String, subject_prefix: String } as const;

/**
 * The subject of a connection: creation argument `subject`, else the model name, after
 * `subject_prefix` and a dot when one is set. Both ends of a connection must agree on it.
 */
export function subjectOf(context: EndpointContext): string {
  const subject = context.creation.subject as string | undefined;
  if (subject !== undefined) return checkSubject(context, subject, 'subject');
  const prefix = context.creation.subject_prefix as string | undefined;
  if (prefix !== undefined) checkSubject(context, prefix, 'subject_prefix');
  return checkSubject(context, prefix === undefined ? context.name : `${prefix}.${context.name}`, 'subject');
}
