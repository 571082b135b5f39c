import { DEFAULT_MAX_ELEMENTS, type WireLimits } from '../codec/wire-budget.js';
import { WIRE_MAX_DEPTH } from '../codec/markers.js';
import type { EndpointContext } from './contract.js';
import { integerArgument } from './creation-arguments.js';

/**
 * The creation arguments {@link wireLimits} reads: spread them into every type's
 * `creationArguments.optional` (the ZeroMQ and NATS types do). `max_nesting_depth` (1–64, default
 * 64) and `max_elements` (default 1,000,000) bound what one inbound frame may hold.
 */
export const WIRE_LIMIT_ARGUMENTS = { max_nesting_depth: Number, max_elements: Number } as const;

/** The wire limits of one endpoint from its creation arguments (defaults where absent); a bad value is a ValidationError naming it. */
export function wireLimits(context: Pick<EndpointContext, 'creation' | 'service' | 'modelPath'>): WireLimits {
  const reader = context as EndpointContext;
  return Object.freeze({
    maxDepth: integerArgument(reader, 'max_nesting_depth', WIRE_MAX_DEPTH, 1, WIRE_MAX_DEPTH),
    maxElements: integerArgument(reader, 'max_elements', DEFAULT_MAX_ELEMENTS, 1),
  });
}
