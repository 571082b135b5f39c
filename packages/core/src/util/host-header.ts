/**
 * The Host check of the framework's small HTTP servers (metrics, `sf up --ui`). A web page on
 * an attacker's domain can make the browser resolve that domain to 127.0.0.1 (DNS rebinding) and
 * read the answers as same-origin; the browser still sends the attacker's name as `Host`. So only
 * names that can be this machine are answered: IP literals, `localhost`, the bound host, the
 * machine's hostname, and the names listed in `SF_ALLOWED_HOSTS`. The port is not checked: DNS
 * rebinding changes the name, and a port-forward (`kubectl port-forward`) changes the port.
 */
import { isIP } from 'node:net';
import { hostname } from 'node:os';

/** Environment variable: more Host names to accept, comma-separated (a DNS name Prometheus scrapes by). */
export const ALLOWED_HOSTS_ENV = 'SF_ALLOWED_HOSTS';

/** The names in {@link ALLOWED_HOSTS_ENV}, lower case. */
export function allowedHostsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env[ALLOWED_HOSTS_ENV] ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
}

/** Whether a request's `Host` header names this server (see the file comment); a request without one (not a browser) passes. */
export function hostAllowed(header: string | undefined, boundHost: string, extra: readonly string[] = allowedHostsFromEnv()): boolean {
  if (header === undefined || header === '') return true;
  const name = hostName(header);
  if (name === '') return false;
  if (isIP(name) !== 0) return true;
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (name === boundHost.toLowerCase() || name === hostname().toLowerCase()) return true;
  return extra.includes(name);
}

/** The name of a Host header, lower case, without port, brackets or a final dot. */
function hostName(header: string): string {
  let name: string;
  if (header.startsWith('[')) {
    const end = header.indexOf(']');
    name = end < 0 ? '' : header.slice(1, end);
  } else {
    const colon = header.indexOf(':');
    name = colon < 0 ? header : header.slice(0, colon);
  }
  return name.trim().toLowerCase().replace(/\.$/, '');
}
