import { ValidationError } from '../errors.js';
import type { EndpointContext } from './contract.js';
import { integerArgument, numberArgument } from './creation-arguments.js';

/** Default `retry_backoff_ms`: the wait before the first retry of a request that got no reply. */
export const DEFAULT_RETRY_BACKOFF_MS = 100;

/** Longest wait between two tries of one request: the backoff doubles up to this. */
export const MAX_RETRY_BACKOFF_MS = 10_000;

/** Most retries a request may have. */
export const MAX_RETRIES = 100;

/** The creation arguments {@link retryPolicy} reads: spread them into a requester type's `creationArguments.optional`. */
export const RETRY_ARGUMENTS = { retries: Number, retry_backoff_ms: Number, idempotent: Boolean } as const;

/**
 * When a requester sends a request again after it got no reply in time. Only a connection whose
 * model declares `idempotent: true` may retry: a request that timed out may have been handled
 * (only its reply was lost), so sending it again must be harmless.
 */
export interface RetryPolicy {
  /** How many times a request is sent again after a timeout (0: never). */
  readonly retries: number;
  /** The wait before the first retry, in ms; each next wait doubles, up to {@link MAX_RETRY_BACKOFF_MS}. */
  readonly backoffMs: number;
}

/**
 * Reads the creation arguments `retries`, `retry_backoff_ms` and `idempotent` of a requester type
 * (declare them in its `creationArguments`); throws ValidationError for a retry of a request not
 * declared idempotent.
 */
export function retryPolicy(context: EndpointContext): RetryPolicy {
  const retries = integerArgument(context, 'retries', 0, 0, MAX_RETRIES);
  const backoffMs = numberArgument(context, 'retry_backoff_ms', DEFAULT_RETRY_BACKOFF_MS, 0, false);
  if (retries > 0 && context.creation.idempotent !== true) {
    throw new ValidationError(
      `Creation argument retries (${retries}) needs idempotent: true`,
      { expected: 'idempotent: true (or retries: 0)', received: `idempotent: ${String(context.creation.idempotent ?? false)}` },
      {
        service: context.service,
        model: context.modelPath,
        argument: 'optional_creation_arguments.retries',
        hint:
          'A request that timed out may have been handled already, so a retry can run its handler twice. ' +
          'Set optional_creation_arguments.idempotent to true if that is harmless, or remove retries',
      },
    );
  }
  return { retries, backoffMs };
}

/** The wait before retry number `retry` (1 for the first). */
export function retryDelay(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.backoffMs * 2 ** (retry - 1), MAX_RETRY_BACKOFF_MS);
}
