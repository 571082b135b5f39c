import { SfError } from '@sf/core';

/** Codes of the problems `sf check` finds between services (documented in docs/errors.md). */
export type WireProblemCode =
  | 'SF_WIRE_PEER_TYPE'
  | 'SF_WIRE_ARGUMENTS'
  | 'SF_WIRE_RETURNS'
  | 'SF_WIRE_STATE'
  | 'SF_WIRE_TOPIC'
  | 'SF_WIRE_UNCONNECTED'
  | 'SF_WIRE_UNKNOWN_END'
  | 'SF_WIRE_ENTRY'
  | 'SF_WIRE_BINDERS'
  | 'SF_WIRE_REPLICATED_WRITER'
  | 'SF_WIRE_PYTHON_REPLICAS'
  | 'SF_WIRE_CLEAR'
  | 'SF_WIRE_KEYS';

/** One problem found by `sf check`: a line of its report. */
export interface Problem {
  /** A wire problem code, or the code of the error that loading the service raised. */
  code: string;
  /** The system's name for the service. */
  service: string;
  /** Model path (`connection_models.in.orders`), when the problem is in one model. */
  model?: string;
  /** Argument path inside the model (`args.quantity`), when known. */
  argument?: string;
  /** What is wrong. */
  message: string;
  /** How to fix it. */
  fix?: string;
  /** `warning`: reported, but the system may still run (`sf check` exits 0, `sf up` starts); absent: an error. */
  severity?: 'warning';
}

/**
 * `service: model args.x: error SF_CODE: what (fix: …)` (or `warning`), like a compiler's line
 * (tsc's `file(1,2): error TS2322: …`).
 */
export function formatProblem(problem: Problem): string {
  const where = [problem.model, problem.argument].filter(Boolean).join(' ');
  const fix = problem.fix ? ` (fix: ${problem.fix})` : '';
  return `${problem.service}: ${where === '' ? '' : `${where}: `}${problem.severity ?? 'error'} ${problem.code}: ${problem.message}${fix}`;
}

/** The problems that stop `sf check` (exit 1) and `sf up`: every one but the warnings. */
export function errorsOf(problems: readonly Problem[]): Problem[] {
  return problems.filter((problem) => problem.severity !== 'warning');
}

/** A problem from an error thrown while loading or preparing a service. */
export function problemFromError(service: string, error: unknown): Problem {
  if (!(error instanceof SfError))
    return { code: 'SF_SERVICE_LOAD_FAILED', service, message: error instanceof Error ? error.message : String(error) };
  const { model, argument, file } = error.location;
  const message = file === undefined ? error.what : `${error.what} (file ${file})`;
  return {
    code: error.code,
    service,
    ...(model && { model }),
    ...(argument && { argument }),
    message,
    ...(error.hint && { fix: error.hint }),
  };
}
