import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceMetrics } from '../metrics/service-metrics.js';
import type { ResolvedModel } from '../models/resolved-model.js';
import type { Endpoint } from '../plugin/contract.js';
import type { PreparedService } from '../service/prepare-service.js';
import type { InboundScope } from './inbound.js';
import { flushLogFiles, type Logger } from './logger.js';
import { newWorkflowId, workflowToSend } from './to-send.js';
import { spanErrorOf } from '../codec/error-reply.js';
import type { SpanSubject } from '../tracing/tracer.js';

/** What a running service holds. */
export interface ServiceRunParts {
  /** The prepared service. */
  prepared: PreparedService;
  /** Its logger. */
  logger: Logger;
  /** Outputs, states, config and the in-flight counter. */
  scope: InboundScope;
  /** Opened endpoints, in opening order. */
  opened: { model: ResolvedModel; endpoint: Endpoint }[];
  /** How long shutdown waits for in-flight handlers, in ms. */
  graceMs: number;
  /** Counters and readiness, when metrics are on. */
  metrics?: ServiceMetrics | undefined;
}

/**
 * A running service's lifecycle: main mode, signals, and the one shutdown sequence —
 * `sigint_handler` → stop taking messages → in-flight handlers finish (bounded) → close → exit code.
 */
export class ServiceRun {
  /** Resolves to the exit code once stopped. */
  readonly done: Promise<number>;
  readonly #parts: ServiceRunParts;
  #finish!: (code: number) => void;
  #stopping: Promise<number> | undefined;
  #exitCode = 0;
  #signalHandler: ((signal: NodeJS.Signals) => void) | undefined;

  constructor(parts: ServiceRunParts) {
    this.#parts = parts;
    this.done = new Promise((resolve) => {
      this.#finish = resolve;
    });
  }

  /** SIGINT/SIGTERM start the shutdown; a second signal exits at once. */
  handleSignals(): void {
    this.#signalHandler = (signal) => {
      if (this.#stopping !== undefined) {
        this.#parts.logger.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      void this.stop(signal);
    };
    process.on('SIGINT', this.#signalHandler);
    process.on('SIGTERM', this.#signalHandler);
  }

  /** Runs `main(to_send, config)` with a new workflow, then stops (exit 1 if it threw). */
  runMain(): void {
    const { prepared, logger, scope } = this.#parts;
    const main = prepared.exports.main as (toSend: unknown, config: unknown) => unknown;
    const id = newWorkflowId();
    const span = scope.tracer?.start('main', this.#subject('main'), id, undefined);
    void (async () => {
      try {
        await main(workflowToSend(scope.outputs, id, span), scope.config);
        span?.end();
        logger.info({ workflow_id: id }, 'main finished');
      } catch (error) {
        this.#exitCode = 1;
        span?.end(spanErrorOf(error, 'send', id));
        logger.error({ workflow_id: id, err: error }, 'main threw');
      }
      await this.stop(null);
    })();
  }

  /** How spans name `main` or `sigint_handler`. */
  #subject(model: string): SpanSubject {
    return { service: this.#parts.scope.serviceName ?? this.#parts.prepared.name, model, type: '', replies: false };
  }

  /** The shutdown sequence; safe to call more than once. `signal` null: main mode ended by itself. */
  stop(signal: NodeJS.Signals | null): Promise<number> {
    this.#stopping ??= this.#shutdown(signal);
    return this.#stopping;
  }

  async #shutdown(signal: NodeJS.Signals | null): Promise<number> {
    const { prepared, logger, scope, opened, graceMs } = this.#parts;
    this.#parts.metrics?.stopping();
    if (signal !== null) {
      logger.info({ signal }, 'stopping');
      await this.#runSigintHandler(signal);
    }
    const inbound = opened.filter(({ model }) => model.side === 'in');
    await Promise.allSettled(inbound.map(({ endpoint }) => endpoint.pause?.()));
    if (scope.inflight.count > 0) {
      logger.info({ inflight: scope.inflight.count }, 'waiting for in-flight messages');
      const waited = await Promise.race([scope.inflight.idle().then(() => true), sleep(graceMs, false, { ref: false })]);
      if (!waited) logger.warn({ inflight: scope.inflight.count, grace_ms: graceMs }, 'grace period over: closing with messages in flight');
    }
    const results = await Promise.allSettled([...opened].reverse().map(({ endpoint }) => endpoint.close()));
    for (const result of results) if (result.status === 'rejected') logger.warn({ err: result.reason }, 'an endpoint failed to close');
    if (this.#signalHandler !== undefined) {
      process.off('SIGINT', this.#signalHandler);
      process.off('SIGTERM', this.#signalHandler);
    }
    // After the last handler: its spans are ended, so this exports them all.
    await scope.tracer?.shutdown().catch((error: unknown) => logger.warn({ err: error }, 'tracing: the last spans were not exported'));
    const rejections = scope.rejections;
    if (rejections !== undefined && rejections.total > 0)
      logger.warn({ rejected: rejections.counts() }, 'rejected inbound messages while running');
    logger.info({ exit_code: this.#exitCode }, `stopped ${prepared.name}`);
    logger.flush();
    await flushLogFiles(logger);
    this.#finish(this.#exitCode);
    return this.#exitCode;
  }

  async #runSigintHandler(signal: NodeJS.Signals): Promise<void> {
    const { prepared, logger, scope } = this.#parts;
    const handler = prepared.exports.sigint_handler;
    if (typeof handler !== 'function') return;
    const id = newWorkflowId();
    const span = scope.tracer?.start('sigint', this.#subject('sigint_handler'), id, undefined);
    try {
      await handler(signal, workflowToSend(scope.outputs, id, span), scope.states, scope.config);
      span?.end();
    } catch (error) {
      span?.end(spanErrorOf(error, 'send', id));
      logger.error({ workflow_id: id, err: error }, 'sigint_handler threw');
    }
  }
}
