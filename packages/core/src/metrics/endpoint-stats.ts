import { isPublicError, SfError } from '../errors.js';

/** Upper bounds (seconds) of the handler-duration histogram's buckets; the last bucket is `+Inf`. */
export const DURATION_BUCKETS: readonly number[] = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];

/** Events a plugin counts on its endpoint's {@link EndpointStats} (`sf_<event>_total`). */
export type PluginEvent = 'retries' | 'snapshots' | 'resyncs';

/** Values a plugin reports on its endpoint's {@link EndpointStats}, read when metrics are scraped (`sf_state_<name>`). */
export type PluginGauge = 'current_num' | 'reader_lag';

/** Where an endpoint sits: its model path, type, side and kind. */
export interface EndpointIdentity {
  /** Model path, e.g. `connection_models.in.echo`. */
  readonly model: string;
  /** Type name, e.g. `replyer`. */
  readonly type: string;
  /** `in` or `out`. */
  readonly side: 'in' | 'out';
  /** `connection` or `state`. */
  readonly kind: 'connection' | 'state';
}

/** The live connections of one connecting socket's path to its peer endpoints (several sockets of a pool may share it). */
export class PeerLinks {
  /** The endpoints connected to. */
  readonly endpoints: readonly string[];
  #live = 0;

  constructor(endpoints: readonly string[]) {
    this.endpoints = endpoints;
  }

  /** A connection to a peer was made (a handshake completed). */
  up(): void {
    this.#live += 1;
  }

  /** A connection made before was lost, or its socket closed. */
  down(): void {
    if (this.#live > 0) this.#live -= 1;
  }

  /** At least one connection is live. */
  get connected(): boolean {
    return this.#live > 0;
  }
}

/**
 * The counters of one endpoint while metrics are on: plain numbers the runner (and the plugin,
 * through `EndpointContext.stats`) increments, read by the metrics server at scrape time. Absent
 * when metrics are off, so the hot path costs one `undefined` check.
 */
export class EndpointStats implements EndpointIdentity {
  readonly model: string;
  readonly type: string;
  readonly side: 'in' | 'out';
  readonly kind: 'connection' | 'state';
  /** Messages received: requests, publications, replies to this side's requests. */
  messagesIn = 0;
  /** Bytes of the messages received. */
  bytesIn = 0;
  /** Messages sent: requests, publications, replies. */
  messagesOut = 0;
  /** Bytes of the messages sent. */
  bytesOut = 0;
  /** Calls in flight: inbound messages being handled, or requests waiting for their reply. */
  inflight = 0;
  /** Handler durations: count per bucket of {@link DURATION_BUCKETS} (not cumulative), then `+Inf`. */
  readonly durationCounts = new Float64Array(DURATION_BUCKETS.length + 1);
  /** Sum of the handler durations, in seconds. */
  durationSum = 0;
  /** Error replies sent, by the error's type. */
  readonly errors = new Map<string, number>();
  /** Requests that got no reply in time (`RequestTimeoutError`). */
  timeouts = 0;
  /** In-states: values applied (snapshots and updates). */
  updates = 0;
  /** In-states: holds a value from a live writer. Other endpoints are ready once open. */
  ready: boolean;
  /** Events counted by the plugin. */
  readonly events = new Map<PluginEvent, number>();
  /** Values the plugin reports, read at scrape time. */
  readonly gauges = new Map<PluginGauge, () => number | undefined>();
  /** Connecting sockets (by address path): their peer endpoints and the live links to each. */
  readonly #links = new Map<string, PeerLinks>();

  constructor(identity: EndpointIdentity) {
    this.model = identity.model;
    this.type = identity.type;
    this.side = identity.side;
    this.kind = identity.kind;
    this.ready = !(identity.side === 'in' && identity.kind === 'state');
  }

  /** Plugins: counts one `event` (a retried request, a snapshot taken, a resync started). */
  count(event: PluginEvent): void {
    this.events.set(event, (this.events.get(event) ?? 0) + 1);
  }

  /** Plugins: reports a value read at scrape time, e.g. `report('current_num', () => this.num)`. */
  report(gauge: PluginGauge, read: () => number | undefined): void {
    this.gauges.set(gauge, read);
  }

  /**
   * Plugins: a long-lived socket at `path` connects to `endpoints`; call `up`/`down` on the
   * returned links as connections to a peer are made and lost. While none is up, `/readyz` says so.
   */
  connecting(path: string, endpoints: readonly string[]): PeerLinks {
    let links = this.#links.get(path);
    if (links === undefined) {
      links = new PeerLinks(endpoints);
      this.#links.set(path, links);
    }
    return links;
  }

  /** Every connecting socket has a live link to at least one of its peers (true without any). */
  get linked(): boolean {
    for (const links of this.#links.values()) if (!links.connected) return false;
    return true;
  }

  /** Why this endpoint waits for a peer: one line per connecting socket with no live link, else none. */
  peersWaiting(): string[] {
    const lines: string[] = [];
    for (const [path, links] of this.#links) {
      if (!links.connected)
        lines.push(`${path} (${this.type}) is not connected to ${links.endpoints.join(', ')} yet; ZeroMQ connects when the peer comes up`);
    }
    return lines;
  }

  /** In-state plugins: the writer is gone (disconnected); not ready until the next value is applied. */
  lost(): void {
    this.ready = false;
  }

  /** Runner: one handled message took from `startedMs` (a `performance.now()`) until now. */
  finished(startedMs: number): void {
    this.inflight -= 1;
    const seconds = (performance.now() - startedMs) / 1000;
    this.durationSum += seconds;
    let bucket = 0;
    while (bucket < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[bucket]!) bucket += 1;
    this.durationCounts[bucket]! += 1;
  }

  /** Runner: an error reply (or a dropped message) about `error`, counted by its type. */
  failed(error: unknown): void {
    const type = isPublicError(error) || error instanceof SfError ? error.name : 'HandlerError';
    this.errors.set(type, (this.errors.get(type) ?? 0) + 1);
  }
}
