/** One service's counters from its `/metrics.json`, summed per model path. */
export interface Counters {
  /** Model path → messages in (received) so far. */
  readonly in: ReadonlyMap<string, number>;
  /** Model path → messages out (sent) so far. */
  readonly out: ReadonlyMap<string, number>;
  /** Model path → values an in-state applied so far. */
  readonly updates: ReadonlyMap<string, number>;
  /** Inbound messages that failed (error replies, bad or undecodable messages), over every endpoint. */
  readonly errors: number;
  /** Inbound messages rejected (bad or undecodable, a plugin's reasons), over every endpoint. */
  readonly rejected: number;
  /** Whether every endpoint says it is ready. */
  readonly ready: boolean;
}

/** The shape prom-client's `getMetricsAsJSON()` gives, as far as it is read here. */
interface JsonMetric {
  readonly name: string;
  readonly values: readonly { readonly labels: Readonly<Record<string, string | number>>; readonly value: number }[];
}

/** How long one scrape may take before it counts as failed. */
const SCRAPE_TIMEOUT_MS = 800;

/** Fetches `${base}/metrics.json` (served by `sf run --metrics`) and sums it per model; rejects when the service does not answer. */
export async function scrapeCounters(base: string): Promise<Counters> {
  const response = await fetch(`${base}/metrics.json`, { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`GET ${base}/metrics.json: ${response.status}`);
  const body = (await response.json()) as { metrics: JsonMetric[] };
  const byName = new Map(body.metrics.map((metric) => [metric.name, metric.values]));
  const perModel = (name: string, direction?: string): Map<string, number> => {
    const sums = new Map<string, number>();
    for (const { labels, value } of byName.get(name) ?? []) {
      if (direction !== undefined && labels.direction !== direction) continue;
      const model = String(labels.model);
      sums.set(model, (sums.get(model) ?? 0) + value);
    }
    return sums;
  };
  const total = (name: string) => (byName.get(name) ?? []).reduce((sum, { value }) => sum + value, 0);
  return {
    in: perModel('sf_messages_total', 'in'),
    out: perModel('sf_messages_total', 'out'),
    updates: perModel('sf_state_updates_total'),
    errors: total('sf_errors_total'),
    rejected: total('sf_rejected_total'),
    ready: (byName.get('sf_endpoint_ready') ?? []).every(({ value }) => value === 1),
  };
}

/** Per-second rates between two readings of a counter map (a restarted service starts again from 0: no negative rate). */
export function rates(
  before: ReadonlyMap<string, number> | undefined,
  after: ReadonlyMap<string, number>,
  seconds: number,
): Map<string, number> {
  const result = new Map<string, number>();
  for (const [key, value] of after) result.set(key, Math.max(0, value - (before?.get(key) ?? value)) / seconds);
  return result;
}
