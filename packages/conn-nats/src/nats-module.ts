/** The NATS client library, loaded on first use: a project that declares this plugin but runs no NATS endpoint never loads it. */
let loading: Promise<typeof import('@nats-io/transport-node')> | undefined;

/** `@nats-io/transport-node`, imported once, when an endpoint first connects (or reads its errors). */
export function natsModule(): Promise<typeof import('@nats-io/transport-node')> {
  loading ??= import('@nats-io/transport-node');
  return loading;
}
