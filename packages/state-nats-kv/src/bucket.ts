import { TransportError } from '@sf/core';
import type { EndpointContext } from '@sf/core/plugin';
import { checkSubject } from '@sf/conn-nats';

/** Creation arguments that name the KV bucket of a state. */
export const BUCKET_ARGUMENTS = { bucket: String } as const;

/** The bucket of a state: creation argument `bucket`, else `sf_state_<model name>`. Both sides must agree on it. */
export function bucketName(context: EndpointContext): string {
  const bucket = (context.creation.bucket as string | undefined) ?? `sf_state_${context.name}`;
  return checkSubject(context, bucket, 'bucket', false, true);
}

/** A TransportError for a KV operation on `bucket` that failed: `what` and the client's reason. */
export function kvError(
  context: EndpointContext,
  code: 'SF_CONNECT_FAILED' | 'SF_CONNECTION_CLOSED',
  what: string,
  error: unknown,
  hint: string,
): TransportError {
  return new TransportError(code, `${what}: ${(error as Error)?.message ?? String(error)}`, {
    service: context.service,
    model: context.modelPath,
    hint,
    cause: error,
  });
}
