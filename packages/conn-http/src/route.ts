import { timingSafeEqual } from 'node:crypto';
import type { EndpointContext, Handled, JsonForms } from '@sf/core/plugin';
import { handledFailure } from '@sf/core/plugin';
import { type RouteAuth, secretDigest } from './settings.js';

/** Header that carries the workflow id, in and out. */
export const WORKFLOW_HEADER = 'x-workflow-id';
/** Longest workflow id taken from a header. */
export const MAX_WORKFLOW_ID = 200;

/** One model served at one path. */
export interface Route {
  /** The path, e.g. `/orders/place`. */
  readonly path: string;
  /** Model name. */
  readonly name: string;
  /** Model path, for the docs. */
  readonly modelPath: string;
  /** The runner's handling step and JSON forms. */
  readonly context: EndpointContext;
  /** JSON forms of the model's messages. */
  readonly json: JsonForms;
  /** Who may call it. */
  readonly auth: RouteAuth;
  /** Set at shutdown: new calls get 503. */
  paused: boolean;
}

/** An answer: HTTP status, JSON body, workflow id for the header. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly workflowId: string | null;
}

/** The error body every failure answers with. */
export function errorBody(type: string, code: string, message: string): { error: { type: string; code: string; message: string } } {
  return { error: { type, code, message } };
}

/** `args` in JSON form → handled by the runner → the answer. Never throws. */
export async function call(route: Route, body: unknown, workflowId: string | null): Promise<Answer> {
  let args: unknown;
  try {
    args = route.json.argsFromJson(body === undefined ? {} : body);
  } catch (error) {
    route.context.reject('bad_arguments', 'rejected an HTTP request whose args are not in their JSON form', {
      err: error,
      workflow_id: workflowId,
    });
    const failure = handledFailure(workflowId, error, 'request');
    return { status: 400, body: { error: failure.error }, workflowId };
  }
  return answerOf(route, await route.context.handle!(args, workflowId));
}

function answerOf(route: Route, handled: Handled): Answer {
  if (!handled.ok) {
    const status = handled.fault === 'request' ? 400 : handled.fault === 'public' ? (handled.status ?? 400) : 500;
    return { status, body: { error: handled.error }, workflowId: handled.workflowId };
  }
  try {
    return { status: 200, body: route.json.returnsToJson(handled.returnArgs), workflowId: handled.workflowId };
  } catch (error) {
    route.context.logger.error({ err: error, workflow_id: handled.workflowId }, 'could not write the return args as JSON');
    const failure = handledFailure(handled.workflowId, error, 'service');
    return { status: 500, body: { error: failure.error }, workflowId: handled.workflowId };
  }
}

/** Whether the request's credentials pass the route's checks: `undefined` if so, else why not (401). */
export async function refusal(
  auth: RouteAuth,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  path: string,
  ip: string,
): Promise<string | undefined> {
  if (auth.bearerDigest !== undefined) {
    const header = headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (token === undefined) return 'Missing bearer token: send "Authorization: Bearer <token>"';
    if (!sameSecret(token, auth.bearerDigest)) return 'Wrong bearer token';
  }
  if (auth.apiKeyDigest !== undefined) {
    const key = headers[auth.apiKeyHeader];
    if (typeof key !== 'string') return `Missing API key: send it in the ${auth.apiKeyHeader} header`;
    if (!sameSecret(key, auth.apiKeyDigest)) return 'Wrong API key';
  }
  if (auth.authorize !== undefined) {
    try {
      if ((await auth.authorize({ headers, path, ip })) !== true) return 'Not authorized';
    } catch {
      return 'Not authorized';
    }
  }
  return undefined;
}

/** Compares a secret a client sent with the expected one's digest, in constant time. */
function sameSecret(given: string, expected: Buffer): boolean {
  return timingSafeEqual(secretDigest(given) as Buffer, expected);
}
