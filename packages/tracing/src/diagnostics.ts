import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';

/** The part of a service's logger the tracer reports to. */
export interface WarnLogger {
  /** Something went wrong but the service goes on. */
  warn(obj: object, msg: string): void;
}

/** At most one line per this many ms: a collector that is down fails every export. */
const QUIET_MS = 60_000;

/**
 * Sends OpenTelemetry's own warnings and errors (a failed export, a full queue) to `logger`, one
 * line a minute at most; the rest of its diagnostics stay off.
 */
export function quietDiagnostics(logger: WarnLogger): void {
  let last = Number.NEGATIVE_INFINITY;
  let held = 0;
  const report = (message: string, ...args: unknown[]): void => {
    const now = Date.now();
    if (now - last < QUIET_MS) {
      held += 1;
      return;
    }
    last = now;
    const detail = args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' ');
    logger.warn({ detail, held_back: held }, `tracing: ${message}`);
    held = 0;
  };
  const ignore = (): void => {};
  const diagLogger: DiagLogger = { error: report, warn: report, info: ignore, debug: ignore, verbose: ignore };
  diag.setLogger(diagLogger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
}
