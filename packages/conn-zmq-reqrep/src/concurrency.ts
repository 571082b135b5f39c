import type { EndpointContext } from '@sf/core/plugin';
import { integerArgument } from '@sf/core/plugin';

/** Largest `concurrency` of a replyer or requester: requests answered, or calls in flight, at once. */
export const MAX_CONCURRENCY = 256;

/** The `concurrency` creation argument: 1 when absent; a ValidationError unless a whole number from 1 to {@link MAX_CONCURRENCY}. */
export function concurrencyArgument(context: EndpointContext): number {
  return integerArgument(context, 'concurrency', 1, 1, MAX_CONCURRENCY);
}
