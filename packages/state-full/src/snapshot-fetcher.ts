import { TransportError } from '@sf/core';
import type { EndpointContext } from '@sf/core/plugin';
import { decodeReply, encodeRequest } from '@sf/core/plugin';
import { OneShotRequester, type SocketAddress } from '@sf/zmq-base';
import type { UpdateQueue } from './update-queue.js';

/** What a full state's in side sends to ask for a snapshot: `{"args": {}, "workflow_id": nil}`. */
const SNAPSHOT_REQUEST = encodeRequest({ args: {}, workflow_id: null });

/** First wait between snapshot attempts after a timeout; it doubles up to {@link MAX_BACKOFF_MS}. */
export const FIRST_BACKOFF_MS = 100;
/** Longest wait between snapshot attempts. */
export const MAX_BACKOFF_MS = 5000;

/** Whether to try again: only a request that got no reply is retried. */
type Outcome = 'done' | 'retry';

/**
 * Fetches snapshots for a `full_update_in`: one round at a time, each retrying with backoff after
 * timeouts until it gets a reply, a publication arrives (it carries a newer value anyway), or it is
 * stopped. A reply that is empty, an error, undecodable or off-model ends the round without a value.
 */
export class SnapshotFetcher {
  readonly #context: EndpointContext;
  readonly #address: SocketAddress;
  readonly #client: OneShotRequester;
  readonly #updates: UpdateQueue;
  #firstAttempt: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #stopped = false;

  /** Asks the replyer at `address`, each request bounded by `timeoutMs`. */
  constructor(context: EndpointContext, address: SocketAddress, updates: UpdateQueue, timeoutMs: number) {
    this.#context = context;
    this.#address = address;
    this.#client = new OneShotRequester(context, address, {
      what: 'snapshot',
      timeoutMs,
      timeoutHint: 'Check that the full_update_out service is running with its replyer at that address, or raise snapshot_timeout_ms',
    });
    this.#updates = updates;
  }

  /**
   * Starts a round unless one is running (then its backoff wait is cut short); resolves once the
   * round's first attempt is over, whatever its outcome.
   */
  refresh(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#firstAttempt) {
      this.#wake?.();
      return this.#firstAttempt;
    }
    let firstDone!: () => void;
    const first = new Promise<void>((resolve) => {
      firstDone = resolve;
    });
    this.#firstAttempt = first;
    void this.#round(firstDone).finally(() => {
      firstDone();
      if (this.#firstAttempt === first) this.#firstAttempt = undefined;
    });
    return first;
  }

  /** Ends the running round and refuses new ones; a pending request is abandoned. */
  stop(): void {
    this.#stopped = true;
    this.#wake?.();
    this.#client.close();
  }

  async #round(firstDone: () => void): Promise<void> {
    const since = this.#updates.publications;
    let backoff = FIRST_BACKOFF_MS;
    for (let attempt = 1; !this.#stopped && this.#updates.publications === since; attempt++) {
      const outcome = await this.#attempt(since, attempt);
      firstDone();
      if (outcome === 'done') return;
      await this.#sleep(backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  async #attempt(since: number, attempt: number): Promise<Outcome> {
    const { logger } = this.#context;
    const address = this.#address.path;
    let frame: Uint8Array;
    try {
      frame = await this.#client.request(SNAPSHOT_REQUEST);
    } catch (error) {
      // Stopped: the round ends. Anything else (a timeout, a refused connection) is tried again.
      if (error instanceof TransportError && error.code === 'SF_CONNECTION_CLOSED') return 'done';
      const level = attempt === 1 ? 'info' : 'debug';
      logger[level](
        { err: error, address, attempt },
        'full_update_in got no snapshot; retrying in the background until one arrives or a publication does',
      );
      return 'retry';
    }
    let reply: ReturnType<typeof decodeReply>;
    try {
      reply = decodeReply(frame, this.#context.limits);
    } catch (error) {
      this.#context.reject('undecodable_snapshot', 'full_update_in dropped a snapshot reply it cannot decode', { err: error, address });
      return 'done';
    }
    if (reply.error !== undefined) {
      logger.warn({ error: reply.error, address }, 'full_update_in: the out side answered the snapshot request with an error');
      return 'done';
    }
    const value = reply.return_args ?? {};
    if (Object.keys(value).length === 0) {
      logger.debug({ address }, 'full_update_in: the out side has no value yet; waiting for its first publication');
      return 'done';
    }
    const invalid = this.#context.check(value);
    if (invalid !== undefined) {
      this.#context.reject('bad_snapshot', 'full_update_in dropped a snapshot that does not match the model', {
        err: invalid,
        workflow_id: reply.workflow_id,
        address,
      });
      return 'done';
    }
    const applied = await this.#updates.snapshot(value, reply.workflow_id, since);
    if (applied) this.#context.stats?.count('snapshots');
    else logger.debug({ address }, 'full_update_in dropped a snapshot: a newer publication arrived while it was requested');
    return 'done';
  }

  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    }).finally(() => {
      this.#wake = undefined;
    });
  }
}
