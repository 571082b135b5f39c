/** First-party type name → the `@sf/*` package that provides it. */
export const FIRST_PARTY_TYPES: Readonly<Record<string, string>> = Object.freeze({
  replyer: '@sf/conn-zmq-reqrep',
  requester: '@sf/conn-zmq-reqrep',
  publisher: '@sf/conn-zmq-pubsub',
  subscriber: '@sf/conn-zmq-pubsub',
  delta_update_in: '@sf/state-delta',
  delta_update_out: '@sf/state-delta',
  full_update_in: '@sf/state-full',
  full_update_out: '@sf/state-full',
  external_target: '@sf/conn-external',
  external_request: '@sf/conn-external',
  http_replyer: '@sf/conn-http',
});

const FIRST_PARTY_PACKAGES: ReadonlySet<string> = new Set(Object.values(FIRST_PARTY_TYPES));

/** Whether `packageName` is a first-party plugin package (one that provides a type of {@link FIRST_PARTY_TYPES}). */
export function isFirstPartyPluginPackage(packageName: string): boolean {
  return FIRST_PARTY_PACKAGES.has(packageName);
}
