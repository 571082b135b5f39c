/**
 * The process's ZAP handler (ZeroMQ RFC 27): zeromq v6 has none built in, so CURVE client keys
 * are checked here, on a Reply socket bound at `inproc://zeromq.zap.01` in the default context.
 * Each CURVE server socket registers a ZAP domain with its allow-list; the handler answers 200 to
 * a listed client key and 400 to anything else (logged, once a minute per key, with the key's
 * short id, and at most {@link REFUSAL_LINES} lines a minute per socket: a peer can make up keys).
 * It is bound while at least one domain is registered, so it never keeps a process alive. If its
 * loop fails, it is re-bound (up to {@link ZAP_RESTARTS} times in a row, with a growing delay):
 * until then clients are refused, never let in unchecked.
 */
import { TransportError } from '@sf/core';
import { LogThrottle, type PluginLogger, withHeldBack } from '@sf/core/plugin';
import { Reply } from 'zeromq';
import { closeSocket } from './close.js';
import { noop } from './noop.js';
import { keyId, z85Encode } from './z85.js';

/** Where libzmq sends ZAP requests. */
export const ZAP_ENDPOINT = 'inproc://zeromq.zap.01';

/** Refusal lines per socket per minute, over all client keys. */
export const REFUSAL_LINES = 20;

/** Restarts of a failed ZAP handler in a row (no request answered in between) before it gives up. */
export const ZAP_RESTARTS = 5;

/** Delay before the first restart of a failed ZAP handler; doubled for each further one in a row. */
const RESTART_DELAY_MS = 100;

/** Binds tried while the inproc name is still held by a closing socket, {@link BIND_RETRY_MS} apart. */
const BIND_ATTEMPTS = 40;
const BIND_RETRY_MS = 25;

/** Who a ZAP domain belongs to and whom it lets in. */
export interface ZapDomain {
  /** Client public keys (z85) let in. */
  readonly allowed: ReadonlySet<string>;
  /** The endpoint's logger, for refusals. */
  readonly logger: PluginLogger;
  /** The socket's addresses-file path, for log lines. */
  readonly address: string;
}

/** One registered domain: its name (set as the socket's `zapDomain`), when the handler is up, and how to let go. */
export interface ZapRegistration {
  /** The ZAP domain name. */
  readonly domain: string;
  /** Resolves once the handler is bound; rejects with a TransportError when it cannot be. */
  readonly ready: Promise<void>;
  /** Drops the domain; the handler closes with the last one. Safe twice. */
  release(): void;
}

interface Registered extends ZapDomain {
  /** One line a minute per client key. */
  readonly throttle: LogThrottle;
  /** {@link REFUSAL_LINES} a minute in all. */
  readonly overall: LogThrottle;
}

class ZapHandler {
  readonly #domains = new Map<string, Registered>();
  #socket: Reply | undefined;
  #chain: Promise<void> = Promise.resolve();
  #next = 0;
  /** Loop failures since the last answered request. */
  #failures = 0;

  register(domain: ZapDomain): ZapRegistration {
    this.#next += 1;
    const name = `sf-${this.#next}`;
    this.#domains.set(name, { ...domain, throttle: new LogThrottle(), overall: new LogThrottle({ perWindow: REFUSAL_LINES }) });
    let released = false;
    return {
      domain: name,
      ready: this.#reconcile(),
      release: () => {
        if (released) return;
        released = true;
        this.#domains.delete(name);
        this.#reconcile().catch(noop);
      },
    };
  }

  /** Binds or closes the socket to match the registered domains, one change at a time. */
  #reconcile(): Promise<void> {
    const step = this.#chain.then(() => this.#apply());
    this.#chain = step.catch(noop);
    return step;
  }

  async #apply(): Promise<void> {
    if (this.#domains.size > 0 && this.#socket === undefined) {
      const socket = new Reply({ linger: 0 });
      try {
        await bindZap(socket);
      } catch (error) {
        socket.close();
        throw new TransportError(
          'SF_BIND_FAILED',
          `Cannot start the CURVE authentication (ZAP) handler at ${ZAP_ENDPOINT}: ${(error as Error).message}`,
          {
            hint: 'Another ZAP handler runs in this process; the ZeroMQ plugins need to own ZAP to check client keys',
            cause: error,
          },
        );
      }
      this.#socket = socket;
      void this.#serve(socket);
    } else if (this.#domains.size === 0 && this.#socket !== undefined) {
      const socket = this.#socket;
      this.#socket = undefined;
      // Unbinding is immediate; a closed socket lets go of the inproc name only later.
      await socket.unbind(ZAP_ENDPOINT).catch(noop);
      await closeSocket(socket, 0);
    }
  }

  /** The bound socket, for tests that make it fail. */
  get socket(): Reply | undefined {
    return this.#socket;
  }

  async #serve(socket: Reply): Promise<void> {
    for (;;) {
      let request: Buffer[];
      try {
        request = await socket.receive();
      } catch (error) {
        return this.#failed(socket, error);
      }
      let reply: Array<Buffer | string>;
      try {
        reply = this.#answer(request);
      } catch (error) {
        // A bug here refuses this one client (500: internal error) and keeps serving.
        this.#logger()?.error({ err: error }, 'CURVE authentication (ZAP) handler failed on one request; that client was refused');
        reply = ['1.0', request[1] ?? '', '500', 'internal error', '', ''];
      }
      try {
        await socket.send(reply);
        this.#failures = 0;
      } catch (error) {
        return this.#failed(socket, error);
      }
    }
  }

  /** The loop on `socket` stopped: nothing to do when it was closed on purpose, else close it and restart. */
  #failed(socket: Reply, error: unknown): void {
    if (this.#socket !== socket) return;
    this.#socket = undefined;
    closeSocket(socket, 0).then(() => this.#restart(error), noop);
  }

  /** Re-binds after a failure, a growing delay later, unless it failed {@link ZAP_RESTARTS} times in a row. */
  #restart(error: unknown): void {
    this.#failures += 1;
    const logger = this.#logger();
    if (this.#failures > ZAP_RESTARTS) {
      logger?.error(
        { err: error, restarts: ZAP_RESTARTS },
        'CURVE authentication (ZAP) handler failed again after its restarts; clients are refused until a CURVE socket is opened again',
      );
      return;
    }
    const delay = RESTART_DELAY_MS * 2 ** (this.#failures - 1);
    logger?.error({ err: error, restart_in_ms: delay }, 'CURVE authentication (ZAP) handler failed; clients are refused until it restarts');
    setTimeout(() => {
      this.#reconcile().then(
        () => {
          if (this.#socket !== undefined) this.#logger()?.warn({ endpoint: ZAP_ENDPOINT }, 'CURVE authentication (ZAP) handler restarted');
        },
        (restartError: unknown) => this.#restart(restartError),
      );
    }, delay).unref();
  }

  /** A registered endpoint's logger, for lines about the handler itself. */
  #logger(): PluginLogger | undefined {
    const [first] = this.#domains.values();
    return first?.logger;
  }

  /** The ZAP reply `[version, request id, status, status text, user id, metadata]` to one request. */
  #answer(frames: Buffer[]): Array<Buffer | string> {
    const [version, requestId, domainName, peer, , mechanism, clientKey] = frames;
    const reply = (status: string, text: string, userId = ''): Array<Buffer | string> => ['1.0', requestId ?? '', status, text, userId, ''];
    if (String(version) !== '1.0') return reply('400', 'unsupported ZAP version');
    const domain = this.#domains.get(String(domainName));
    if (domain === undefined) return reply('400', 'unknown ZAP domain');
    if (String(mechanism) !== 'CURVE' || clientKey?.length !== 32) {
      this.#refuse(domain, `mechanism ${String(mechanism)}`, String(peer), 'a peer without CURVE was refused');
      return reply('400', 'CURVE required');
    }
    const key = z85Encode(clientKey);
    if (domain.allowed.has(key)) return reply('200', 'OK', key);
    this.#refuse(domain, keyId(key), String(peer), 'refused a CURVE client whose key is not in the allowed client keys');
    return reply('400', 'client key not allowed');
  }

  #refuse(domain: Registered, client: string, peer: string, message: string): void {
    const verdict = domain.throttle.pass(client);
    if (!verdict.log) return;
    const overall = domain.overall.pass('refused');
    if (!overall.log) return;
    domain.logger.warn(
      { client_key: client, peer, address: domain.address, ...(verdict.heldBack > 0 && { repeats: verdict.heldBack }) },
      withHeldBack(message, overall),
    );
  }
}

/** Binds `socket` at {@link ZAP_ENDPOINT}, waiting (boundedly) while a socket closed a moment ago still holds the name. */
async function bindZap(socket: Reply): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await socket.bind(ZAP_ENDPOINT);
    } catch (error) {
      if ((error as { code?: string }).code !== 'EADDRINUSE' || attempt >= BIND_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, BIND_RETRY_MS));
    }
  }
}

const handler = new ZapHandler();

/** The process's ZAP socket while bound (tests make it fail to check the handler comes back). */
export function zapSocket(): Reply | undefined {
  return handler.socket;
}

/** Registers a CURVE server socket's allow-list with the process's ZAP handler (binding it if needed). */
export function registerZapDomain(domain: ZapDomain): ZapRegistration {
  return handler.register(domain);
}
