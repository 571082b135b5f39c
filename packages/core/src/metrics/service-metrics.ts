import type { ResolvedModel } from '../models/resolved-model.js';
import type { RejectedCounts, RejectCounter } from '../runner/rejections.js';
import { EndpointStats } from './endpoint-stats.js';

/** Whether a running service serves: every endpoint open, every in-state holding a value from a live writer, every peer linked. */
export interface Readiness {
  /** True when ready. */
  readonly ready: boolean;
  /** Why not: one line per endpoint that is not ready. */
  readonly waiting: readonly string[];
}

/**
 * What a running service tells its metrics server (`sf run --metrics`): its name, the counters of
 * every endpoint, rejected messages and readiness. Read at scrape time; nothing here runs per message.
 */
export class ServiceMetrics {
  /** The service's name (its file's base name). */
  readonly service: string;
  /** One entry per model, in model order. */
  readonly endpoints: readonly EndpointStats[];
  readonly #rejections: Pick<RejectCounter, 'counts'>;
  #open = false;
  #stopping = false;

  constructor(
    service: string,
    models: readonly Pick<ResolvedModel, 'path' | 'typeName' | 'side' | 'kind'>[],
    rejections: Pick<RejectCounter, 'counts'>,
  ) {
    this.service = service;
    this.endpoints = models.map(
      (model) => new EndpointStats({ model: model.path, type: model.typeName, side: model.side, kind: model.kind }),
    );
    this.#rejections = rejections;
  }

  /** The counters of the model at `path`. */
  of(path: string): EndpointStats | undefined {
    return this.endpoints.find((stats) => stats.model === path);
  }

  /** Rejected inbound messages so far, by model path and reason. */
  rejected(): RejectedCounts {
    return this.#rejections.counts();
  }

  /** Runner: every endpoint is open. */
  opened(): void {
    this.#open = true;
  }

  /** Runner: shutdown started; not ready any more. */
  stopping(): void {
    this.#stopping = true;
  }

  /**
   * Ready when every endpoint is open, every in-state holds a value from a live writer and every
   * connecting socket has a live link to at least one of its peers (one on a host not up yet has none).
   */
  readiness(): Readiness {
    if (this.#stopping) return { ready: false, waiting: ['the service is stopping'] };
    if (!this.#open) return { ready: false, waiting: ['the endpoints are opening'] };
    const waiting: string[] = [];
    for (const stats of this.endpoints) {
      if (!stats.ready) waiting.push(`${stats.model} (${stats.type}) holds no value from a live writer`);
      waiting.push(...stats.peersWaiting());
    }
    return { ready: waiting.length === 0, waiting };
  }
}
