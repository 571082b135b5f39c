import { decodeValue, readOnlyState } from '@sf/core/plugin';
import type { Endpoint, EndpointContext, TypeDefinition } from '@sf/core/plugin';
import { closedError, closeNats, connectNats, NATS_ADDRESS, NATS_CREATION_ARGUMENTS } from '@sf/conn-nats';
import type { KV, KvWatchEntry } from '@nats-io/kv';
import type { NatsConnection, QueuedIterator } from '@nats-io/transport-node';
import { OrderedMap as PersistentMap } from 'immutable';
import { BUCKET_ARGUMENTS, bucketName } from './bucket.js';
import { decodeKey } from './keys.js';

/** How long `open()` waits for the bucket before carrying on and waiting for it in the background. */
export const FIRST_LOOK_MS = 1000;

/** Wait between looks for a bucket the out side has not created yet (or between tries to watch it). */
const BUCKET_POLL_MS = 500;

/** How often a watch that got nothing is checked against the bucket's last revision. */
export const WATCH_CHECK_MS = 2000;

/**
 * The `nats_kv_in` state type: watches the state's JetStream KV bucket, so it starts from the
 * current value of every key (a late joiner converges at once) and then follows each write,
 * from whichever server of the cluster it is connected to. `states[name]` changes, and
 * `on_update` runs, once the bucket's current keys are loaded and then after each write; a
 * multi-key update may arrive as several (each key's value is always one the out side wrote).
 * A watch whose server died (its consumer with it) is noticed by comparing the last revision seen
 * with the bucket's, and resumed from the next revision on the servers left.
 * The state is held in a persistent map (as `delta_update_in` holds it) and handed out read-only
 * (`readOnlyState`): a write costs what it changes, not the state's size, and a value handed out
 * never changes afterwards.
 */
export const natsKvIn: TypeDefinition = {
  side: 'in',
  kind: 'state',
  peers: ['nats_kv_out'],
  addresses: [],
  optionalAddresses: [NATS_ADDRESS],
  handler: 'on_update',
  replies: false,
  creationArguments: { optional: { on_update: Function, ...BUCKET_ARGUMENTS, ...NATS_CREATION_ARGUMENTS } },
  description: 'Follows a nats_kv_out state: the current value of every key, then each write.',
  create: (context) => new KvInEndpoint(context),
};

class KvInEndpoint implements Endpoint {
  readonly #context: EndpointContext;
  readonly #bucket: string;
  /** The state as last handed out; never changed (later values share its unchanged keys). */
  #held = PersistentMap<string, unknown>();
  /** Entries applied since: a mutable copy of `#held`, made on the first entry after a hand-out. */
  #draft: PersistentMap<string, unknown> | undefined;
  #connection: NatsConnection | undefined;
  #watch: QueuedIterator<KvWatchEntry> | undefined;
  /** The revision (stream sequence) of the last entry applied; a new watch resumes after it. */
  #revision = 0;
  #following: Promise<void> | undefined;
  #stopped = false;

  constructor(context: EndpointContext) {
    this.#context = context;
    this.#bucket = bucketName(context);
  }

  /** Connects and starts watching the bucket; when it does not exist yet, waits for it in the background. */
  async open(): Promise<void> {
    if (this.#stopped) throw closedError(this.#context, 'Cannot open a nats_kv_in state after close');
    if (this.#following) return;
    this.#connection ??= await connectNats(this.#context);
    const started = deferred();
    this.#following = this.#follow(this.#connection, started.resolve).catch((error) => {
      if (!this.#stopped) this.#context.logger.error({ err: error, bucket: this.#bucket }, 'nats_kv_in: watching the bucket failed');
    });
    const timer = setTimeout(started.resolve, FIRST_LOOK_MS);
    await started.done;
    clearTimeout(timer);
    if (!this.#watch && !this.#stopped)
      this.#context.logger.info(
        { bucket: this.#bucket },
        'nats_kv_in: no bucket yet (is the out side up?); waiting for it in the background',
      );
  }

  async pause(): Promise<void> {
    this.#stopped = true;
    this.#watch?.stop();
  }

  async close(): Promise<void> {
    await this.pause();
    await this.#following;
    await closeNats(this.#connection);
  }

  /** Waits for the bucket, then applies every entry of its watch until stopped, watching again after a stall. */
  async #follow(connection: NatsConnection, started: () => void): Promise<void> {
    const [{ jetstream }, { Kvm }] = await Promise.all([import('@nats-io/jetstream'), import('@nats-io/kv')]);
    const kvm = new Kvm(jetstream(connection));
    let kv: KV | undefined;
    while (!this.#stopped) {
      try {
        kv ??= await kvm.open(this.#bucket);
        await kv.status();
        this.#watch = await kv.watch(this.#revision > 0 ? { resumeFromRevision: this.#revision + 1 } : {});
      } catch (error) {
        this.#context.logger.debug({ err: error, bucket: this.#bucket }, 'nats_kv_in: bucket not available yet');
        await new Promise((resolve) => setTimeout(resolve, BUCKET_POLL_MS));
        continue;
      }
      started();
      if (this.#stopped) this.#watch.stop();
      const check = this.#checkStalls(kv, this.#watch);
      try {
        for await (const entry of this.#watch) {
          this.#revision = entry.revision;
          this.#apply(entry);
        }
      } finally {
        clearInterval(check);
      }
    }
  }

  /** Every {@link WATCH_CHECK_MS}: when nothing came although the bucket has later revisions, stops `watch` (so it is watched again). */
  #checkStalls(kv: KV, watch: QueuedIterator<KvWatchEntry>): NodeJS.Timeout {
    let seen = this.#revision;
    const timer = setInterval(() => {
      if (this.#revision !== seen) {
        seen = this.#revision;
        return;
      }
      kv.status().then(
        (status) => {
          if (status.streamInfo.state.last_seq <= this.#revision || this.#stopped) return;
          this.#context.logger.warn(
            { bucket: this.#bucket, revision: this.#revision, last: status.streamInfo.state.last_seq },
            'nats_kv_in: the watch stalled (a server lost?); watching again',
          );
          watch.stop();
        },
        () => undefined,
      );
    }, WATCH_CHECK_MS);
    timer.unref();
    return timer;
  }

  /** One KV entry: its key set or deleted in the draft; handlers see the state once no more entries are pending. */
  #apply(entry: KvWatchEntry): void {
    const workflowId = this.#applyEntry(entry);
    if (entry.delta || this.#draft === undefined) return;
    this.#held = this.#draft.asImmutable();
    this.#draft = undefined;
    this.#context.update(readOnlyState(this.#held), workflowId ?? null);
  }

  /** Sets or deletes the entry's key in the draft; its workflow id (null for a delete), or `undefined` when it is refused. */
  #applyEntry(entry: KvWatchEntry): string | null | undefined {
    const key = decodeKey(entry.key);
    if (key === undefined) {
      this.#context.reject('bad_state', 'nats_kv_in: a key the out side cannot have written; ignored', {
        key: entry.key,
        bucket: this.#bucket,
      });
      return undefined;
    }
    if (entry.operation !== 'PUT') {
      this.#draft = (this.#draft ?? this.#held.asMutable()).delete(key);
      return null;
    }
    let value: unknown;
    let workflowId: string | null;
    try {
      [value, workflowId] = decodeValue(entry.value) as [unknown, string | null];
    } catch (error) {
      this.#context.reject('undecodable', 'nats_kv_in: undecodable value; key ignored', { err: error, key, bucket: this.#bucket });
      return undefined;
    }
    const invalid = this.#context.check({ [key]: value }, true);
    if (invalid) {
      this.#context.reject('bad_state', 'nats_kv_in: a value that fails the state model; key ignored', {
        err: invalid,
        key,
        bucket: this.#bucket,
      });
      return undefined;
    }
    this.#draft = (this.#draft ?? this.#held.asMutable()).set(key, value);
    return workflowId;
  }
}

function deferred(): { done: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const done = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { done, resolve };
}
