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
});

/** Whether a package name follows the first-party plugin naming (`@sf/conn-*`, `@sf/state-*`). */
export function isFirstPartyPluginName(packageName: string): boolean {
  return /^@sf\/(conn|state)-[a-z0-9-]+$/.test(packageName);
}
