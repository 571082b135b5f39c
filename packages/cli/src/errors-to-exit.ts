import { SfError } from '@sf/core';
import { UsageError } from './usage-error.js';

/** Exit code of a bad command line. */
export const EXIT_USAGE = 2;
/** Exit code of a failure: a start-up error or an unexpected one. */
export const EXIT_FAILURE = 1;

/** What the CLI prints for an error, and the exit code it ends with. */
export interface ErrorReport {
  /** Text for stderr: one `sf: …` line, followed by stack and causes only with `--debug`. */
  text: string;
  /** Process exit code. */
  exitCode: number;
}

const MAX_CAUSES = 10;

/**
 * Maps an error to one readable line and an exit code: a {@link UsageError} → its message and the
 * help command to run, exit 2; a framework error (`SfError`) → its message, exit 1; anything
 * else → `unexpected error`, exit 1. With `debug`, the stack and the chain of causes follow.
 */
export function reportError(error: unknown, debug: boolean): ErrorReport {
  if (error instanceof UsageError) {
    const message = oneLine(error.message);
    const stop = /[.?!]$/.test(message) ? ' ' : '. ';
    return { text: `sf: ${message}${stop}Run '${error.helpCommand}'.\n`, exitCode: EXIT_USAGE };
  }
  if (isSfError(error)) {
    return { text: `sf: ${oneLine(error.message)}\n${debug ? details(error) : ''}`, exitCode: EXIT_FAILURE };
  }
  const message = oneLine(error instanceof Error ? error.message : String(error));
  const tail = debug ? `\n${details(error)}` : ' (run again with --debug to see the stack trace)\n';
  return { text: `sf: unexpected error: ${message}${tail}`, exitCode: EXIT_FAILURE };
}

// Duck-typed too: an SfError from a second copy of @sf/core (a plugin's own) is still one.
function isSfError(error: unknown): error is Error {
  if (error instanceof SfError) return true;
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SF_');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function details(error: unknown): string {
  const parts = [describe(error)];
  let cause = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; cause !== undefined && depth < MAX_CAUSES; depth++) {
    parts.push(`Caused by: ${describe(cause)}`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return `${parts.join('\n')}\n`;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
