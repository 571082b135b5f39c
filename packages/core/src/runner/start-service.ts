import type { ResolvedModel } from '../models/resolved-model.js';
import type { Endpoint, EndpointContext } from '../plugin/contract.js';
import { wireLimits } from '../plugin/wire-limits.js';
import { type PrepareOptions, type PreparedService, prepareService } from '../service/prepare-service.js';
import { createHandler, type InboundScope, InflightCounter, createReceiver } from './inbound.js';
import { jsonForms } from '../plugin/json-forms.js';
import { type Logger, type LoggingOptions, createLogger } from './logger.js';
import { Outputs } from './outputs.js';
import { loggableValues, redactionPaths } from './redaction.js';
import { RejectCounter, type RejectedCounts } from './rejections.js';
import { ServiceRun } from './service-run.js';
import { createStateUpdater } from './states.js';
import { countedHandle, countedReceive, countedUpdate, countingEndpoint } from '../metrics/counting.js';
import type { EndpointStats } from '../metrics/endpoint-stats.js';
import { ServiceMetrics } from '../metrics/service-metrics.js';
import type { ServiceTracer } from '../tracing/tracer.js';

/** Everything `sf run` passes to start a service. */
export interface StartOptions extends PrepareOptions {
  /** Console and file logging (`-cl`, `-l`, `-f`, `-bc`). */
  logging?: LoggingOptions;
  /** Keep stack traces in start-up errors (`--debug`); the CLI prints them. */
  debug?: boolean;
  /** Install SIGINT/SIGTERM handlers (default true; tests that stop the service themselves turn it off). */
  handleSignals?: boolean;
  /** How long shutdown waits for in-flight handlers, in ms (default 5000). */
  graceMs?: number;
  /** Count messages, bytes, durations… per endpoint for a metrics server (`sf run --metrics`); off by default. */
  metrics?: boolean;
  /**
   * With `metrics`: called once every endpoint is open, before the `ready` line (so whatever waits
   * for that line can scrape), e.g. to start the metrics server. If it throws, start-up fails.
   */
  serveMetrics?: (metrics: ServiceMetrics, logger: Logger) => Promise<void>;
  /**
   * Turns tracing on (`sf run --otlp`): called once the service is prepared, with its name, to
   * build the tracer (`@sf/tracing`, loaded only then). Off by default: no span, no trace key.
   */
  createTracer?: (service: string, logger: Logger) => Promise<ServiceTracer>;
}

/** A started service. */
export interface RunningService {
  /** The prepared service (config, models…). */
  readonly prepared: PreparedService;
  /** The service's logger. */
  readonly logger: Logger;
  /** Resolves to the exit code once the service has stopped. */
  readonly done: Promise<number>;
  /** Runs the shutdown sequence as on SIGTERM; resolves to the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number>;
  /** Inbound messages rejected so far (undecodable, bad arguments, bad state…), by model path and reason. */
  rejected(): RejectedCounts;
  /** The service's counters and readiness, when started with `metrics: true`. */
  readonly metrics?: ServiceMetrics;
}

/**
 * Starts a service (SPEC §5): prepare (load, config, addresses, models) → open every endpoint
 * (out first, so handlers can send) → signal handlers → main mode: run `main`, then stop;
 * service mode: serve until a signal. Throws one `SfError` if start-up fails, with nothing left open.
 */
export async function startService(options: StartOptions): Promise<RunningService> {
  const prepared = await prepareService(options);
  const redact = redactionPaths(prepared.config, prepared.exports.config_model, prepared.models);
  const logger = await createLogger(prepared.name, options.logging, redact);
  logger.debug({ config: loggableValues(prepared.config) }, 'config');
  const tracer = options.createTracer === undefined ? undefined : await options.createTracer(prepared.name, logger);
  const outputs = new Outputs(prepared.file, logger, tracer, prepared.name);
  const rejections = new RejectCounter();
  const scope: InboundScope = {
    outputs,
    states: {},
    config: prepared.config,
    logger,
    inflight: new InflightCounter(),
    rejections,
    ...(tracer !== undefined && { tracer, serviceName: prepared.name }),
  };
  const metrics = options.metrics === true ? new ServiceMetrics(prepared.name, prepared.models, rejections) : undefined;

  const opened: { model: ResolvedModel; endpoint: Endpoint }[] = [];
  try {
    const ordered = [...prepared.models].sort((a, b) => (a.side === b.side ? 0 : a.side === 'out' ? -1 : 1));
    for (const model of ordered) {
      const stats = metrics?.of(model.path);
      const context = endpointContext(model, prepared, scope, rejections, stats);
      const endpoint = await model.definition.create(context);
      // Listed before open(): an endpoint whose open() fails half-way (one socket bound) is closed too.
      opened.push({ model, endpoint });
      await endpoint.open();
      if (model.side === 'out') {
        outputs.add(model, stats ? countingEndpoint(endpoint, stats, model.definition.replies) : endpoint, context.limits);
      }
      logger.debug(
        { model: model.path, type: model.typeName, addresses: model.addresses, creation: loggableValues(model.creation) },
        'opened',
      );
    }
  } catch (error) {
    await Promise.allSettled(opened.map(({ endpoint }) => endpoint.close()));
    await tracer?.shutdown().catch(() => {});
    throw error;
  }

  if (metrics !== undefined && options.serveMetrics !== undefined) {
    try {
      await options.serveMetrics(metrics, logger);
    } catch (error) {
      await Promise.allSettled(opened.map(({ endpoint }) => endpoint.close()));
      await tracer?.shutdown().catch(() => {});
      throw error;
    }
  }
  const run = new ServiceRun({ prepared, logger, scope, opened, graceMs: options.graceMs ?? 5000, metrics });
  metrics?.opened();
  if (options.handleSignals !== false) run.handleSignals();
  logger.info(
    { models: prepared.models.map((model) => `${model.path} (${model.typeName})`) },
    options.mainMode ? 'started in main mode' : 'ready',
  );
  if (options.mainMode) run.runMain();
  return {
    prepared,
    logger,
    done: run.done,
    stop: (signal) => run.stop(signal ?? 'SIGTERM'),
    rejected: () => rejections.counts(),
    ...(metrics !== undefined && { metrics }),
  };
}

/** The `EndpointContext` the runner hands a type's `create()` for one model of a prepared service. */
export function endpointContext(
  model: ResolvedModel,
  prepared: PreparedService,
  scope: InboundScope,
  rejections: RejectCounter,
  stats?: EndpointStats,
): EndpointContext {
  const limits = wireLimits({ creation: model.creation, service: prepared.file, modelPath: model.path });
  const inConnection = model.side === 'in' && model.kind === 'connection';
  const receiver = inConnection ? createReceiver(model, scope, stats, limits) : undefined;
  const receive = receiver === undefined ? refuseFrames(model) : stats ? countedReceive(receiver, stats) : receiver;
  const handler = inConnection ? createHandler(model, scope, stats) : undefined;
  const handle = handler === undefined || stats === undefined ? handler : countedHandle(handler, stats);
  const updater = model.side === 'in' && model.kind === 'state' ? createStateUpdater(model, scope) : undefined;
  const update = updater === undefined ? refuseUpdates(model) : stats ? countedUpdate(updater, stats) : updater;
  const logger = scope.logger.child({ model: model.path });
  return {
    service: prepared.file,
    name: model.name,
    modelPath: model.path,
    addresses: model.addresses,
    addressLists: model.addressLists,
    creation: model.creation,
    arguments: model.typeArguments,
    logger,
    limits,
    receive,
    ...(handle !== undefined && { handle, json: jsonForms(model.args, model.returns) }),
    check: (value, partial) => (partial === true && model.partial !== undefined ? model.partial : model.args).check(value),
    update,
    reject: rejections.rejecter(model.path, logger),
    ...(stats !== undefined && { stats }),
  };
}

function refuseUpdates(model: ResolvedModel): (value: Record<string, unknown>) => Promise<void> {
  return async () => {
    throw new Error(`${model.path} (${model.typeName}) is not an in state: it has no value to update`);
  };
}

function refuseFrames(model: ResolvedModel): (frame: Uint8Array) => Promise<undefined> {
  return async () => {
    throw new Error(`${model.path} (${model.typeName}) is not an in connection: it cannot receive frames`);
  };
}
