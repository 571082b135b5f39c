import type { Plugin } from '@sf/core/plugin';
import { freePort, type TestContext, testContext } from '@sf/core/testing';
import { type Settled, type } from './options.js';
import { CheckFailure, type Cleanups, within } from './sides.js';

/** Creation arguments a type is made with in the checks (its handler as a no-op, plus the options'). */
function creation(plugin: Plugin, name: string, options: Settled): Record<string, unknown> {
  const handler = type(plugin, name).handler;
  return { ...(handler === undefined ? {} : { [handler]: () => undefined }), ...options.creation[name] };
}

/** Makes and opens the type with `addresses`; resolves to the error it failed with, or undefined. */
async function attempt(
  plugin: Plugin,
  name: string,
  addresses: Record<string, string>,
  options: Settled,
  cleanups: Cleanups,
): Promise<unknown> {
  const definition = type(plugin, name);
  try {
    const endpoint = await definition.create(conformanceContext(plugin, name, addresses, options));
    cleanups.push(() => endpoint.close());
    await within(endpoint.open(), options.timeoutMs, `open() of ${name} with addresses ${JSON.stringify(addresses)}`);
    return undefined;
  } catch (error) {
    if (error instanceof CheckFailure) throw error;
    return error;
  }
}

/** Missing and malformed addresses: create() or open() throws a framework error (code `SF_…`) naming the socket or the address. */
export async function badAddresses(plugin: Plugin, name: string, options: Settled, cleanups: Cleanups): Promise<void> {
  const sockets = type(plugin, name).addresses;
  if (sockets.length === 0) return;
  const malformed = Object.fromEntries(sockets.map((socket) => [socket, 'no-port-here']));
  for (const [label, addresses, mention] of [
    ['missing', {}, sockets],
    ['malformed', malformed, ['no-port-here']],
  ] as const) {
    const error = await attempt(plugin, name, addresses as Record<string, string>, options, cleanups);
    if (error === undefined)
      throw new CheckFailure(
        `${name} opened with ${label} addresses ${JSON.stringify(addresses)}; ` +
          `create() or open() must throw (ConfigError SF_ADDRESSES_INVALID)`,
      );
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof code !== 'string' || !code.startsWith('SF_')) {
      throw new CheckFailure(
        `${name} with ${label} addresses threw ${(error as Error)?.name ?? typeof error} without a framework code: ` +
          `${String(message)} (throw ConfigError('SF_ADDRESSES_INVALID', …) from @sf/core)`,
      );
    }
    if (!mention.some((text) => String(message).includes(text)))
      throw new CheckFailure(`${name} with ${label} addresses threw "${String(message)}", which names neither ${mention.join(' nor ')}`);
  }
}

/** A type without peers in the plugin (e.g. a function call): open, close, close again, and a send after close rejects. */
export async function openCloseAlone(plugin: Plugin, name: string, options: Settled, cleanups: Cleanups): Promise<void> {
  const definition = type(plugin, name);
  // A type with addresses but no peer in the plugin (an HTTP front door) gets one free loopback port per socket.
  const addresses: Record<string, string> = {};
  for (const socket of definition.addresses) addresses[socket] = `127.0.0.1:${await freePort()}`;
  for (const round of ['', ' (second round, same addresses)']) {
    const endpoint = await definition.create(conformanceContext(plugin, name, addresses, options));
    cleanups.push(() => endpoint.close());
    await within(endpoint.open(), options.timeoutMs, `open() of ${name}${round}`);
    await within(endpoint.close(), options.timeoutMs, `close() of ${name}${round}`);
    await within(endpoint.close(), options.timeoutMs, `a second close() of ${name}${round}`).catch((error: Error) => {
      throw new CheckFailure(`a second close() of ${name} failed: ${error.message} (close must be safe to call twice)`);
    });
  }
}

/** The context a conformance check creates type `name` with: its side and kind, `addresses`, the suite's creation arguments. */
function conformanceContext(plugin: Plugin, name: string, addresses: Record<string, string>, options: Settled): TestContext {
  const definition = type(plugin, name);
  return testContext({
    name: `${name}_conformance`,
    side: definition.side,
    kind: definition.kind,
    addresses,
    creation: creation(plugin, name, options),
  });
}
