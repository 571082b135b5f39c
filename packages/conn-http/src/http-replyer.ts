import { secret } from '@sf/core';
import type { Endpoint, EndpointContext, TypeDefinition } from '@sf/core/plugin';
import { PluginError } from '@sf/core';
import { FrontDoor } from './front-door.js';
import type { Route } from './route.js';
import { routeAuth, serverSettings } from './settings.js';

/** The live endpoint of one model: its route on the shared server of its address. */
class HttpReplyer implements Endpoint {
  readonly #door: FrontDoor;
  readonly #route: Route;
  #closed = false;

  constructor(context: EndpointContext) {
    if (context.handle === undefined || context.json === undefined) {
      throw new PluginError(
        'SF_PLUGIN_INCOMPATIBLE',
        'http_replyer needs a runner that hands args decoded from JSON to its handling step (context.handle)',
        {
          service: context.service,
          model: context.modelPath,
          hint: 'Upgrade @sf/core to a version with EndpointContext.handle',
        },
      );
    }
    const settings = serverSettings(context);
    const route: Route = {
      path: pathOf(context),
      name: context.name,
      modelPath: context.modelPath,
      context,
      json: context.json,
      auth: routeAuth(context),
      paused: false,
    };
    this.#door = FrontDoor.for(settings, context);
    this.#door.add(route);
    this.#route = route;
  }

  open(): Promise<void> {
    return this.#door.open();
  }

  async pause(): Promise<void> {
    this.#route.paused = true;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#route.paused = true;
    await this.#door.remove(this.#route);
  }
}

/** `/<prefix>/<path>`: the path defaults to the model's name. */
function pathOf(context: EndpointContext): string {
  const prefix = ((context.creation.prefix as string | undefined) ?? '').replace(/^\/+|\/+$/g, '');
  const path = ((context.creation.path as string | undefined) ?? context.name).replace(/^\/+|\/+$/g, '');
  return `/${prefix === '' ? '' : `${prefix}/`}${path}`;
}

/**
 * The `http_replyer` type: serves the model's handler as `POST /<prefix>/<path>` (JSON in, JSON
 * out), on one HTTP server per address shared by every model that names it. Core checks the args,
 * runs the handler and checks the return; this type moves JSON and maps outcomes to statuses.
 */
export const httpReplyer: TypeDefinition = {
  side: 'in',
  kind: 'connection',
  peers: [],
  addresses: ['http'],
  handler: 'on_new_request',
  replies: true,
  creationArguments: {
    required: { on_new_request: Function },
    optional: {
      path: String,
      prefix: String,
      body_limit_bytes: Number,
      request_timeout_ms: Number,
      keep_alive_timeout_ms: Number,
      tls_key: secret(String),
      tls_cert: String,
      rate_limit_per_minute: Number,
      cors_origins: [String],
      bearer_token: secret(String),
      api_key: secret(String),
      api_key_header: String,
      authorize: Function,
      docs: Boolean,
      title: String,
    },
  },
  entry: { docs: '/docs/' },
  description:
    'Serves the handler over HTTP: POST /<prefix>/<model name> with the args as JSON, the return args as JSON; OpenAPI at /openapi.json.',
  create: (context) => new HttpReplyer(context),
};
