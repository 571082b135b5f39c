import { DURATION_BUCKETS, type EndpointStats, type ServiceMetrics } from '@sf/core';
import { Counter, Gauge, type Metric, type MetricValueWithName, type Registry } from 'prom-client';

/** Labels of every per-endpoint metric. */
const ENDPOINT_LABELS = ['service', 'model', 'type'] as const;

type Labels = Record<string, string>;
type Read = (stats: EndpointStats, labels: Labels) => Iterable<[Labels, number]>;

/** One sample per endpoint: `value(stats)`, skipped where it is `undefined`. */
function each(value: (stats: EndpointStats) => number | undefined): Read {
  return function* (stats, labels) {
    const read = value(stats);
    if (read !== undefined) yield [labels, read];
  };
}

/**
 * Registers the metrics of one running service on `registry`: counters and gauges whose
 * `collect()` copies the service's plain-number counters at scrape time (nothing per message).
 */
export function registerServiceMetrics(registry: Registry, metrics: ServiceMetrics): void {
  const labelsOf = (stats: EndpointStats): Labels => ({ service: metrics.service, model: stats.model, type: stats.type });
  const define = (kind: 'counter' | 'gauge', name: string, help: string, extra: readonly string[], read: Read): void => {
    const labelNames = [...ENDPOINT_LABELS, ...extra];
    const Type = kind === 'counter' ? Counter : Gauge;
    new Type({
      name,
      help,
      labelNames,
      registers: [registry],
      collect(this: Counter | Gauge) {
        this.reset();
        for (const stats of metrics.endpoints) {
          for (const [labels, value] of read(stats, labelsOf(stats))) {
            if (this instanceof Gauge) this.set(labels, value);
            else this.inc(labels, value);
          }
        }
      },
    });
  };
  const direction = (inbound: (s: EndpointStats) => number, outbound: (s: EndpointStats) => number): Read =>
    function* (stats, labels) {
      yield [{ ...labels, direction: 'in' }, inbound(stats)];
      yield [{ ...labels, direction: 'out' }, outbound(stats)];
    };
  define(
    'counter',
    'sf_messages_total',
    'Messages received (in) and sent (out) by an endpoint',
    ['direction'],
    direction(
      (s) => s.messagesIn,
      (s) => s.messagesOut,
    ),
  );
  define(
    'counter',
    'sf_message_bytes_total',
    'Bytes of the messages received (in) and sent (out) by an endpoint',
    ['direction'],
    direction(
      (s) => s.bytesIn,
      (s) => s.bytesOut,
    ),
  );
  define(
    'gauge',
    'sf_inflight',
    'Calls in flight: inbound messages being handled, or requests waiting for their reply',
    [],
    each((s) => s.inflight),
  );
  define(
    'counter',
    'sf_errors_total',
    'Inbound messages that failed (error reply where one is due), by error type',
    ['error'],
    function* (stats, labels) {
      for (const [error, count] of stats.errors) yield [{ ...labels, error }, count];
    },
  );
  define(
    'counter',
    'sf_rejected_total',
    'Inbound messages rejected (undecodable, bad arguments, bad state…), by reason',
    ['reason'],
    function* (stats, labels) {
      for (const [reason, count] of Object.entries(metrics.rejected()[stats.model] ?? {})) yield [{ ...labels, reason }, count];
    },
  );
  define(
    'counter',
    'sf_request_timeouts_total',
    'Requests that got no reply within timeout_ms (after any retries)',
    [],
    each((s) => (s.side === 'out' ? s.timeouts : undefined)),
  );
  for (const event of ['retries', 'snapshots', 'resyncs'] as const) {
    define(
      'counter',
      `sf_${event}_total`,
      `${event[0]!.toUpperCase()}${event.slice(1)} counted by the endpoint's plugin`,
      [],
      each((s) => s.events.get(event)),
    );
  }
  define(
    'counter',
    'sf_state_updates_total',
    'Values an in-state applied (snapshots and updates)',
    [],
    each((s) => (s.kind === 'state' && s.side === 'in' ? s.updates : undefined)),
  );
  define(
    'gauge',
    'sf_state_current_num',
    "A delta state's update number (out: last published; in: held)",
    [],
    each((s) => s.gauges.get('current_num')?.()),
  );
  define(
    'gauge',
    'sf_state_reader_lag',
    'Updates an in-state is behind its writer, where the plugin knows it',
    [],
    each((s) => s.gauges.get('reader_lag')?.()),
  );
  define(
    'gauge',
    'sf_endpoint_ready',
    'Whether the endpoint is ready (1): open, linked to a peer where it connects, and for an in-state, holding a value from a live writer',
    [],
    each((s) => (s.ready && s.linked ? 1 : 0)),
  );
  registry.registerMetric(durationHistogram(metrics, labelsOf) as unknown as Metric);
}

/**
 * `sf_handler_duration_seconds`, a histogram built at scrape time from the endpoints' bucket
 * counts: prom-client's Histogram only takes one observation at a time, which would put its work
 * on every message; the registry formats any metric whose `get()` returns these values.
 */
function durationHistogram(metrics: ServiceMetrics, labelsOf: (stats: EndpointStats) => Labels) {
  const name = 'sf_handler_duration_seconds';
  return {
    name,
    help: 'Time from receiving an inbound message to its reply (or the end of its handler), in seconds',
    type: 'histogram',
    aggregator: 'sum',
    get() {
      const values: MetricValueWithName<string>[] = [];
      for (const stats of metrics.endpoints) {
        if (stats.side !== 'in' || stats.kind !== 'connection') continue;
        const labels = labelsOf(stats);
        let cumulative = 0;
        DURATION_BUCKETS.forEach((le, index) => {
          cumulative += stats.durationCounts[index]!;
          values.push({ metricName: `${name}_bucket`, labels: { ...labels, le }, value: cumulative });
        });
        cumulative += stats.durationCounts[DURATION_BUCKETS.length]!;
        values.push({ metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: cumulative });
        values.push({ metricName: `${name}_sum`, labels, value: stats.durationSum });
        values.push({ metricName: `${name}_count`, labels, value: cumulative });
      }
      return { name, help: this.help, type: 'histogram', aggregator: 'sum', values };
    },
  };
}
