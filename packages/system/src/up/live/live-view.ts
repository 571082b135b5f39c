import type { SystemAnalysis } from '../../check/analyse-system.js';
import type { ServiceStatus } from '../status-table.js';
import { type Counters, rates, scrapeCounters } from './scrape.js';

/** How often `sf up --ui` scrapes its services. */
export const SCRAPE_EVERY_MS = 1000;

/** One process of the system as the live view sees it: its status row and where its metrics are. */
export interface LiveProcess extends ServiceStatus {
  /** The system's service name (without `#2` for replicas). */
  readonly service: string;
  /** Base URL of its metrics server, when it has one. */
  readonly metricsUrl: string | undefined;
}

/** One row of the live page's service table. */
export interface ServiceRow {
  /** Process name (`name#2` for a replica). */
  readonly name: string;
  /** starting, up, running, restarting, crash loop, finished, stopped. */
  readonly state: string;
  /** Its pid. */
  readonly pid: number | undefined;
  /** Restarts so far. */
  readonly restarts: number;
  /** Seconds since it (re)started. */
  readonly upSeconds: number;
  /** `/readyz` as the metrics say; `null` without metrics (a Python service) or before the first scrape. */
  readonly ready: boolean | null;
  /** Messages received per second, over every endpoint. */
  readonly inPerSecond: number;
  /** Messages sent per second, over every endpoint. */
  readonly outPerSecond: number;
  /** Failed inbound messages so far. */
  readonly errors: number;
  /** Rejected inbound messages so far. */
  readonly rejected: number;
  /** The last error line `sf up` saw. */
  readonly lastError: string | undefined;
}

/** One wire with its live rate; `index` is its place in `sf graph`'s edges (Graphviz's `edge<index+1>`). */
export interface EdgeRow {
  /** Index in the graph's edges. */
  readonly index: number;
  /** `from.model → to.model`. */
  readonly label: string;
  /** Messages (or state values) per second on this wire; `null` when neither end has metrics. */
  readonly perSecond: number | null;
}

/** What the page's `/status.json` holds. */
export interface LiveStatusJson {
  /** The system's name. */
  readonly system: string;
  /** When it was computed (ms since the epoch). */
  readonly at: number;
  /** Every process. */
  readonly services: readonly ServiceRow[];
  /** Every wire, in graph order. */
  readonly edges: readonly EdgeRow[];
  /** Entry points (ends called from outside) and the URL of their docs page where they serve one (an HTTP front door). */
  readonly entries: readonly { readonly label: string; readonly docs: string | null }[];
}

interface Reading {
  readonly counters: Counters;
  readonly at: number;
  inRates: Map<string, number>;
  outRates: Map<string, number>;
  updateRates: Map<string, number>;
}

/**
 * Scrapes every process's metrics each second and keeps per-second rates: per service (in, out,
 * errors) and per wire. A wire's rate is what its receiving end took in (messages, or values for a
 * state) when that end is fed by this wire alone; otherwise what its sending end sent.
 */
export class LiveView {
  readonly #analysis: SystemAnalysis;
  readonly #processes: readonly LiveProcess[];
  readonly #readings = new Map<string, Reading>();
  readonly #timer: NodeJS.Timeout;
  #scraping = false;

  constructor(analysis: SystemAnalysis, processes: readonly LiveProcess[]) {
    this.#analysis = analysis;
    this.#processes = processes;
    this.#timer = setInterval(() => void this.scrape(), SCRAPE_EVERY_MS);
    this.#timer.unref();
  }

  /** One round of scrapes (skipped while the previous one runs). A process that does not answer keeps no reading. */
  async scrape(): Promise<void> {
    if (this.#scraping) return;
    this.#scraping = true;
    try {
      await Promise.all(this.#processes.map((process) => this.#scrapeOne(process)));
    } finally {
      this.#scraping = false;
    }
  }

  async #scrapeOne(process: LiveProcess): Promise<void> {
    if (process.metricsUrl === undefined) return;
    let counters: Counters;
    try {
      counters = await scrapeCounters(process.metricsUrl);
    } catch {
      this.#readings.delete(process.spec.name);
      return;
    }
    const at = Date.now();
    const before = this.#readings.get(process.spec.name);
    const seconds = before === undefined ? 1 : Math.max(0.001, (at - before.at) / 1000);
    this.#readings.set(process.spec.name, {
      counters,
      at,
      inRates: rates(before?.counters.in, counters.in, seconds),
      outRates: rates(before?.counters.out, counters.out, seconds),
      updateRates: rates(before?.counters.updates, counters.updates, seconds),
    });
  }

  /** The page's status: every process and every wire. */
  status(now = Date.now()): LiveStatusJson {
    const services = this.#processes.map((process): ServiceRow => {
      const reading = this.#readings.get(process.spec.name);
      const sum = (values: Iterable<number> | undefined) => [...(values ?? [])].reduce((total, value) => total + value, 0);
      return {
        name: process.spec.name,
        state: process.state,
        pid: process.pid,
        restarts: process.restarts,
        upSeconds: Math.max(0, Math.round((now - process.startedAt) / 1000)),
        ready: reading === undefined ? null : reading.counters.ready,
        inPerSecond: sum(reading?.inRates.values()) + sum(reading?.updateRates.values()),
        outPerSecond: sum(reading?.outRates.values()),
        errors: reading?.counters.errors ?? 0,
        rejected: reading?.counters.rejected ?? 0,
        lastError: process.lastError,
      };
    });
    const feeds = new Map<string, number>();
    for (const { to } of this.#analysis.wires) feeds.set(`${to.service} ${to.path}`, (feeds.get(`${to.service} ${to.path}`) ?? 0) + 1);
    const edges = this.#analysis.wires.map(({ from, to }, index): EdgeRow => {
      const received = this.#rate(to.service, (reading) => (to.kind === 'state' ? reading.updateRates : reading.inRates).get(to.path));
      const sent = this.#rate(from.service, (reading) => reading.outRates.get(from.path));
      const alone = feeds.get(`${to.service} ${to.path}`) === 1;
      return {
        index,
        label: `${from.service}.${from.name} → ${to.service}.${to.name}`,
        perSecond: (alone ? received : null) ?? sent ?? received,
      };
    });
    const entries = this.#analysis.entries.map((entry) => ({
      label: `${entry.end.service}.${entry.end.name} (${entry.end.typeName})`,
      docs: entry.docs ?? null,
    }));
    return { system: this.#analysis.system.name, at: now, services, edges, entries };
  }

  /** The sum over a service's processes (replicas) of one rate; `null` when none of them has a reading. */
  #rate(service: string, read: (reading: Reading) => number | undefined): number | null {
    let found = false;
    let total = 0;
    for (const process of this.#processes) {
      if (process.service !== service) continue;
      const reading = this.#readings.get(process.spec.name);
      const value = reading === undefined ? undefined : read(reading);
      if (value === undefined) continue;
      found = true;
      total += value;
    }
    return found ? total : null;
  }

  /** Stops scraping. */
  close(): void {
    clearInterval(this.#timer);
  }
}
