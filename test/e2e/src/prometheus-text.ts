/** One sample of a Prometheus text exposition: metric name, labels, value. */
export interface Sample {
  /** Metric name, e.g. `sf_messages_total`. */
  readonly name: string;
  /** Label name → value. */
  readonly labels: Readonly<Record<string, string>>;
  /** The value. */
  readonly value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The samples of a `/metrics` body (comments skipped); enough for tests, not a full parser. */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = LINE.exec(line);
    if (match === null) continue;
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(LABEL)].map((label) => [label[1]!, label[2]!]));
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** Scrapes `url` (a `/metrics` endpoint) and returns a lookup: the value of `name` with these labels (0 when absent). */
export async function scrape(url: string): Promise<(name: string, labels?: Record<string, string>) => number> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  const samples = parsePrometheusText(await response.text());
  return (name, labels = {}) =>
    samples
      .filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
      .reduce((sum, sample) => sum + sample.value, 0);
}
