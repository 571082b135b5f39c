/** Where an HTTP server listens: host and TCP port (0: a free one). */
export interface ListenAddress {
  /** Host name or IP (IPv6 without brackets). */
  readonly host: string;
  /** TCP port, 0 to 65535. */
  readonly port: number;
}

const LISTEN = /^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]*):(\d{1,5})$/;

/**
 * Reads `host:port` (`[::1]:9464`; `:9464` listens on 127.0.0.1; port 0 picks a free one), as
 * `sf run --metrics` and `sf up --ui` take it; `undefined` when it is not one.
 */
export function parseListenAddress(raw: string): ListenAddress | undefined {
  const match = LISTEN.exec(raw.trim());
  if (match === null || Number(match[2]) > 65535) return undefined;
  const host = match[1]!.replace(/^\[(.*)\]$/, '$1');
  return { host: host === '' ? '127.0.0.1' : host, port: Number(match[2]) };
}
