import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Endpoint, EndpointContext, TypeDefinition, WireLimits } from '@sf/core/plugin';
import { numberArgument, wireLimits } from '@sf/core/plugin';
import {
  closedError,
  OneShotRequester,
  SOCKET_CREATION_ARGUMENTS,
  type SocketAddress,
  settleWithin,
  socketAddress,
  TopicSubscriber,
} from '@sf/zmq-base';
import { DEFAULT_MAX_BUFFERED_BYTES, Replica } from './replica.js';
import { SerialSteps } from './serial-steps.js';
import { TailCheck } from './tail-check.js';
import { decodePublication, decodeSnapshotReply, encodeSnapshotRequest, type Publication } from './wire.js';

/** What the in side sends to ask for a snapshot: `{"args": {}, "workflow_id": nil}`. */
const SNAPSHOT_REQUEST = encodeSnapshotRequest(null);

/** Default `snapshot_timeout_ms`: how long one snapshot request waits for its reply. */
export const DEFAULT_SNAPSHOT_TIMEOUT_MS = 1000;

/** Default `tail_check_ms`: after publications stop for about this long, one snapshot request checks that none was lost at the end. */
export const DEFAULT_TAIL_CHECK_MS = 500;

/**
 * Pacing of snapshot requests. After a request that failed, the next goes `first` ms after it,
 * then twice as long after each further failure, up to `max`. After a snapshot taken, the next
 * request goes at once; but while snapshots keep being needed again within `settled` ms of the
 * last one taken, each next request waits as after failures (`first`, doubling up to `max`).
 */
export const SNAPSHOT_RETRY_MS = { first: 100, max: 2000, settled: 5000 } as const;

/**
 * The `delta_update_in` state type: subscribes to the out side's updates, asks its `replyer` for a
 * snapshot to start from (and after a lost update, a bad message or a restart of the out side),
 * and applies the updates in order, so `states[name]` is always a value the out side had.
 */
export const deltaUpdateIn: TypeDefinition = {
  side: 'in',
  kind: 'state',
  peers: ['delta_update_out'],
  addresses: ['subscriber', 'requester'],
  handler: 'on_update',
  replies: false,
  creationArguments: {
    optional: {
      on_update: Function,
      topic: String,
      snapshot_timeout_ms: Number,
      tail_check_ms: Number,
      max_buffered_bytes: Number,
      ...SOCKET_CREATION_ARGUMENTS,
    },
  },
  description: 'Keeps a copy of a delta_update_out state: snapshot, then numbered deltas in order.',
  create: (context) => new DeltaInEndpoint(context),
};

class DeltaInEndpoint implements Endpoint {
  readonly #context: EndpointContext;
  readonly #subscriber: TopicSubscriber;
  readonly #requester: SocketAddress;
  readonly #timeoutMs: number;
  readonly #client: OneShotRequester;
  readonly #replica: Replica;
  /** What one publication or snapshot reply may hold (`max_elements`, `max_nesting_depth`). */
  readonly #limits: WireLimits;
  /** The replica's publications, snapshots and resyncs, one at a time. */
  readonly #steps: SerialSteps;
  /** Asks for a snapshot once publications stop, in case the last ones were lost. */
  readonly #tail: TailCheck;
  #opened = false;
  #syncing: Promise<void> | undefined;
  readonly #firstAttempt: { done: Promise<void>; resolve: () => void } = deferred();
  #paused = false;
  #closing: Promise<void> | undefined;
  /** When the last snapshot request went out (performance.now()). */
  #lastAsked = Number.NEGATIVE_INFINITY;
  /** Snapshots taken in a row, each needed again within `SNAPSHOT_RETRY_MS.settled` of the one before. */
  #taken = 0;
  /** When the last snapshot was taken (performance.now()). */
  #tookAt = Number.NEGATIVE_INFINITY;

  constructor(context: EndpointContext) {
    this.#context = context;
    this.#subscriber = new TopicSubscriber(context, {
      label: 'delta state',
      deliver: (payload) => this.#onPayload(payload),
      // A new connection after the first may be a restarted out side: check its state. So may the
      // first when a snapshot came before it (the requester connected sooner): updates published
      // in between were missed, and nothing else may show it if the out side publishes no more.
      onConnectionChange: (connected, connections) => {
        if (!connected)
          context.stats?.lost(); // metrics: not ready until the next snapshot
        else if (connections > 1) void this.#serial(() => this.#replica.resync('reconnected to the out side', true));
        else if (this.#replica.num !== undefined) void this.#serial(() => this.#replica.resync('subscribed after the first snapshot'));
      },
    });
    this.#steps = new SerialSteps((error) => context.logger.error({ err: error }, 'delta state: applying an update failed'));
    this.#tail = new TailCheck(numberArgument(context, 'tail_check_ms', DEFAULT_TAIL_CHECK_MS, 0, false), () => {
      void this.#serial(() => this.#replica.resync('publications stopped: checking that none was lost at the end', false, true));
    });
    this.#limits = context.limits ?? wireLimits(context);
    this.#timeoutMs = numberArgument(context, 'snapshot_timeout_ms', DEFAULT_SNAPSHOT_TIMEOUT_MS, 0, true);
    this.#requester = socketAddress(context, 'requester', 'connect');
    this.#client = new OneShotRequester(context, this.#requester, {
      what: 'snapshot',
      timeoutMs: this.#timeoutMs,
      timeoutHint: 'Check that the delta_update_out service is running with its replyer at that address, or raise snapshot_timeout_ms',
    });
    this.#replica = new Replica({
      check: (value, partial) => context.check(value, partial),
      update: (value, workflowId, trace) => context.update(value, workflowId, trace),
      wantSnapshot: () => {
        context.stats?.count('resyncs');
        this.#startSync();
      },
      reject: (reason, message, details) => context.reject(reason, message, details),
      logger: context.logger,
      maxBufferedBytes: numberArgument(context, 'max_buffered_bytes', DEFAULT_MAX_BUFFERED_BYTES, 0, true),
    });
    context.stats?.report('current_num', () => this.#replica.num);
    context.stats?.report('reader_lag', () => this.#replica.lag);
  }

  /**
   * Subscribes, then asks for the first snapshot and waits for it at most `snapshot_timeout_ms`;
   * without an answer it resolves anyway and keeps asking in the background.
   */
  async open(): Promise<void> {
    if (this.#closing) throw closedError(this.#context, this.#subscriber.address, 'Cannot open a delta_update_in state after close');
    if (this.#opened) return;
    await this.#subscriber.open();
    this.#opened = true;
    this.#tail.start();
    this.#startSync();
    await settleWithin(this.#firstAttempt.done, this.#timeoutMs + 100);
    if (this.#replica.num === undefined && !this.#paused) {
      this.#context.logger.info(
        { address: this.#requester.path },
        'delta state: no snapshot yet (is the out side up?); asking again in the background',
      );
    }
  }

  async pause(): Promise<void> {
    this.#paused = true;
    this.#tail.stop();
    await this.#subscriber.pause();
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#paused = true;
    this.#tail.stop();
    this.#client.close();
    await this.#subscriber.close();
  }

  /** Runs one replica step after those asked for before it (none after pause); never rejects. */
  #serial<T>(step: () => T | Promise<T>): T | undefined | Promise<T | undefined> {
    return this.#steps.run(() => (this.#paused ? undefined : step()));
  }

  /**
   * One publication off the wire: decoded and placed by the replica (an undecodable one means a
   * resync). A promise only while that is not done, so the subscriber otherwise hands on the next
   * one at once.
   */
  #onPayload(payload: Uint8Array): unknown {
    this.#tail.received();
    let update: Publication;
    try {
      update = decodePublication(payload, this.#limits);
    } catch (error) {
      this.#context.reject('undecodable', 'delta state: undecodable update; resyncing', {
        err: error,
        address: this.#subscriber.address.path,
      });
      return this.#serial(() => this.#replica.resync('an update could not be decoded'));
    }
    return this.#serial(() => this.#replica.onPublication(update));
  }

  #startSync(): void {
    if (this.#syncing || this.#paused) return;
    this.#syncing = this.#syncLoop().finally(() => {
      this.#firstAttempt.resolve();
      this.#syncing = undefined;
      if (this.#replica.needsSnapshot) this.#startSync();
    });
  }

  /** Asks for snapshots until one is taken, each request paced by {@link SNAPSHOT_RETRY_MS}. */
  async #syncLoop(): Promise<void> {
    let failures = 0;
    while (!this.#paused && this.#replica.needsSnapshot) {
      await this.#paceRequest(failures);
      if (this.#paused || !this.#replica.needsSnapshot) return;
      this.#lastAsked = performance.now();
      const generation = this.#replica.generation;
      const seen = this.#replica.published;
      let taken = false;
      try {
        const snapshot = decodeSnapshotReply(await this.#client.request(SNAPSHOT_REQUEST), this.#limits);
        taken = (await this.#serial(() => this.#replica.onSnapshot(snapshot, generation, seen))) ?? false;
      } catch (error) {
        if (this.#paused) return;
        // A late out side is normal (open() already said so at info): retries stay at debug.
        this.#context.logger.debug({ err: error, attempt: failures + 1 }, 'delta state: snapshot request failed; retrying');
      }
      this.#firstAttempt.resolve();
      if (taken) {
        this.#tookAt = performance.now();
        this.#taken += 1;
        this.#context.stats?.count('snapshots');
        if (failures > 0) this.#context.logger.info({ attempts: failures + 1 }, 'delta state: snapshot received');
        failures = 0;
        continue;
      }
      failures += 1;
    }
  }

  /**
   * Waits until the next snapshot request may go ({@link SNAPSHOT_RETRY_MS}), after `failures`
   * failed ones in a row. A publisher whose numbers keep jumping (lost updates, or a hostile one
   * alternating them) would otherwise make this side ask back to back.
   */
  async #paceRequest(failures: number): Promise<void> {
    if (performance.now() - this.#tookAt >= SNAPSHOT_RETRY_MS.settled) this.#taken = 0;
    const repeats = failures > 0 ? failures : this.#taken - 1;
    if (repeats <= 0) return;
    const backoff = Math.min(SNAPSHOT_RETRY_MS.first * 2 ** (repeats - 1), SNAPSHOT_RETRY_MS.max);
    const wait = this.#lastAsked + backoff - performance.now();
    if (wait > 0) await sleep(wait, undefined, { ref: false });
  }
}

function deferred(): { done: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const done = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { done, resolve };
}
