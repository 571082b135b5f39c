import { encodeValue, integerArgument } from '@sf/core/plugin';
import type { Endpoint, EndpointContext, OutboundMessage, TypeDefinition } from '@sf/core/plugin';
import { closedError, NATS_ADDRESS, NATS_CREATION_ARGUMENTS, NatsClient } from '@sf/conn-nats';
import type { KV } from '@nats-io/kv';
import { BUCKET_ARGUMENTS, bucketName, kvError } from './bucket.js';
import { decodeKey, encodeKey } from './keys.js';

/** Default `write_timeout_ms`: how long one write waits for the cluster's acknowledgement. */
export const DEFAULT_WRITE_TIMEOUT_MS = 5000;

/** Default `write_retries`: how many times a write that failed (a server lost, a leader election) is tried again. */
export const DEFAULT_WRITE_RETRIES = 5;

/**
 * Writes of one update in flight at once. A snapshot of many keys so holds a bounded number of
 * pending requests (each costs the client two Error objects and a timer), not one per key.
 */
export const WRITES_IN_FLIGHT = 256;

/** Wait before the first retry of a write; doubles each time, up to 2 s. */
const RETRY_WAIT_MS = { first: 100, max: 2000 } as const;

/**
 * The `nats_kv_out` state type: `to_send('state', name, { state, is_snapshot })` checks the value
 * and writes each top-level key of it to its own key of a JetStream KV bucket (`null` deletes a
 * key; a snapshot also deletes the keys it does not have), so a delta costs what it changes.
 * `to_send` resolves once the cluster acknowledged every write (stored on a majority of the
 * bucket's `replicas`): an acknowledged update survives the loss of a server when replicas is 3.
 * Updates are written one after another in the order sent.
 */
export const natsKvOut: TypeDefinition = {
  side: 'out',
  kind: 'state',
  peers: ['nats_kv_in'],
  addresses: [],
  optionalAddresses: [NATS_ADDRESS],
  replies: false,
  sendModel: { required: { state: Object }, optional: { is_snapshot: Boolean } },
  creationArguments: {
    optional: { replicas: Number, write_timeout_ms: Number, write_retries: Number, ...BUCKET_ARGUMENTS, ...NATS_CREATION_ARGUMENTS },
  },
  description: 'Writes a state to a replicated NATS JetStream KV bucket, one KV key per top-level key.',
  create: (context) => new KvOutEndpoint(context),
};

class KvOutEndpoint implements Endpoint {
  readonly #context: EndpointContext;
  readonly #bucket: string;
  readonly #replicas: number;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #client: NatsClient;
  #kv: KV | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(context: EndpointContext) {
    this.#context = context;
    this.#bucket = bucketName(context);
    this.#replicas = integerArgument(context, 'replicas', 1, 1, 5);
    this.#timeoutMs = integerArgument(context, 'write_timeout_ms', DEFAULT_WRITE_TIMEOUT_MS, 1);
    this.#retries = integerArgument(context, 'write_retries', DEFAULT_WRITE_RETRIES, 0, 100);
    this.#client = new NatsClient(context, 'nats_kv_out state');
  }

  /** Connects and creates the bucket (or binds to it when it exists with the same settings). */
  async open(): Promise<void> {
    const connection = await this.#client.open();
    if (this.#kv) return;
    // The JetStream libraries load on first use, like the NATS client: not when the plugin is discovered.
    const [{ jetstream }, { Kvm }] = await Promise.all([import('@nats-io/jetstream'), import('@nats-io/kv')]);
    try {
      const kvm = new Kvm(jetstream(connection, { timeout: this.#timeoutMs }));
      this.#kv = await kvm.create(this.#bucket, { replicas: this.#replicas, history: 1 });
    } catch (error) {
      throw kvError(
        this.#context,
        'SF_CONNECT_FAILED',
        `Cannot create the KV bucket ${this.#bucket} (replicas: ${this.#replicas})`,
        error,
        'The servers need JetStream enabled (nats-server -js), ' +
          'and at least `replicas` servers in the cluster; an existing bucket must have the same replicas',
      );
    }
  }

  /** Lets the queued updates finish (each within its retries), then drains the connection. */
  async close(): Promise<void> {
    await this.#queue;
    await this.#client.close();
  }

  /** Queues one update behind the previous ones; resolves once the cluster acknowledged all its writes. */
  send(message: OutboundMessage): Promise<undefined> {
    const state = message.args.state as Record<string, unknown>;
    const isSnapshot = message.args.is_snapshot === true;
    const invalid = this.#context.check(state, !isSnapshot);
    if (invalid) return Promise.reject(invalid);
    const kv = this.#kv;
    if (!kv || this.#client.closed)
      return Promise.reject(closedError(this.#context, `The nats_kv_out state of bucket ${this.#bucket} is not open`));
    const written = this.#queue.then(() => this.#write(kv, state, isSnapshot, message.workflowId));
    this.#queue = written.catch(() => undefined);
    return written;
  }

  async #write(kv: KV, state: Record<string, unknown>, isSnapshot: boolean, workflowId: string | null): Promise<undefined> {
    const writes: Array<() => Promise<unknown>> = [];
    for (const key of Object.keys(state)) {
      const name = encodeKey(key);
      if (state[key] === null) writes.push(() => this.#retry(`delete ${key}`, () => kv.delete(name)));
      else writes.push(() => this.#retry(`write ${key}`, () => kv.put(name, encodeValue([state[key], workflowId]))));
    }
    if (isSnapshot) {
      const stale = (await this.#retry('list keys', () => listKeys(kv))).filter((name) => !Object.hasOwn(state, decodeOrSelf(name)));
      for (const name of stale) writes.push(() => this.#retry(`delete ${name}`, () => kv.delete(name)));
    }
    await inWindow(writes, WRITES_IN_FLIGHT);
    return undefined;
  }

  /** Runs one KV operation, trying again up to `write_retries` times after a failure; then a TransportError. */
  async #retry<T>(what: string, operation: () => Promise<T>): Promise<T> {
    let wait: number = RETRY_WAIT_MS.first;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await operation();
      } catch (error) {
        if (attempt > this.#retries || this.#client.closed) {
          throw kvError(
            this.#context,
            'SF_CONNECTION_CLOSED',
            `nats_kv_out could not ${what} in bucket ${this.#bucket} after ${attempt} tries`,
            error,
            "Check that a majority of the bucket replicas' servers are up; raise write_retries to wait longer",
          );
        }
        this.#context.logger.warn(
          { err: error, bucket: this.#bucket, retry: attempt, retries: this.#retries },
          `nats_kv_out: ${what} failed; trying again`,
        );
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait = Math.min(wait * 2, RETRY_WAIT_MS.max);
      }
    }
  }
}

/** Runs `operations`, at most `width` at a time; rejects with the first failure (and starts no more). */
async function inWindow(operations: ReadonlyArray<() => Promise<unknown>>, width: number): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (!failed && next < operations.length) {
      const operation = operations[next++]!;
      try {
        await operation();
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, operations.length) }, lane));
}

async function listKeys(kv: KV): Promise<string[]> {
  const names: string[] = [];
  for await (const name of await kv.keys()) names.push(name);
  return names;
}

function decodeOrSelf(name: string): string {
  return decodeKey(name) ?? name;
}
