import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { ConfigError, TransportError } from '@sf/core';
import type { EndpointContext } from '@sf/core/plugin';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { DOCS_PATH, OPENAPI_PATH, openApiDocument } from './openapi.js';
import { call, errorBody, MAX_WORKFLOW_ID, refusal, type Route, WORKFLOW_HEADER } from './route.js';
import { differences, type ServerSettings } from './settings.js';

/** Servers of this process by `host:port`: several models of one service share one. */
const SERVERS = new Map<string, FrontDoor>();

/** How often Node checks for requests past their timeout (its default, 30 s, would let a slow client stay that long). */
const CHECK_INTERVAL_MS = 500;

/** One HTTP server serving the routes of every model that names its address. */
export class FrontDoor {
  readonly #settings: ServerSettings;
  readonly #key: string;
  readonly #routes = new Map<string, Route>();
  /** The OpenAPI document of the routes, built on first request after a route came or went. */
  #document: object | undefined;
  /** The first model's context, for error locations. */
  readonly #owner: EndpointContext;
  #app: Promise<FastifyInstance> | undefined;
  #listening: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  private constructor(settings: ServerSettings, owner: EndpointContext) {
    this.#settings = settings;
    this.#key = `${settings.host}:${settings.port}`;
    this.#owner = owner;
  }

  /** The server of `settings`' address, made on first use; refuses settings that differ from those it was made with. */
  static for(settings: ServerSettings, context: EndpointContext): FrontDoor {
    const key = `${settings.host}:${settings.port}`;
    let door = SERVERS.get(key);
    if (door === undefined || door.#closing !== undefined) {
      door = new FrontDoor(settings, context);
      SERVERS.set(key, door);
      return door;
    }
    const differ = differences(door.#settings, settings);
    if (differ.length > 0) {
      throw new ConfigError(
        'SF_CONFIG_INVALID',
        `${context.modelPath} shares the HTTP server ${key} with ${door.#owner.modelPath} but sets ${differ.join(', ')} differently`,
        {
          service: context.service,
          model: context.modelPath,
          hint: 'Models on one address share one server: give them the same server settings (or different addresses)',
        },
      );
    }
    return door;
  }

  /** Serves `route` (its path must be free on this server). */
  add(route: Route): void {
    const other = this.#routes.get(route.path);
    if (other !== undefined || route.path === OPENAPI_PATH || route.path.startsWith(DOCS_PATH)) {
      throw new ConfigError(
        'SF_CONFIG_INVALID',
        `The HTTP path ${route.path} of ${route.modelPath} is already taken${other ? ` by ${other.modelPath}` : ' by the docs'}`,
        {
          service: route.context.service,
          model: route.modelPath,
          hint: 'Give the model another path (creation argument path) or prefix',
        },
      );
    }
    this.#routes.set(route.path, route);
    this.#document = undefined;
  }

  /** Starts listening (once, for every route); resolves when it does. */
  open(): Promise<void> {
    this.#listening ??= this.#listen();
    return this.#listening;
  }

  /** Stops serving `route`; the last one closes the server (waiting for requests in progress). */
  async remove(route: Route): Promise<void> {
    if (this.#routes.get(route.path) === route) this.#routes.delete(route.path);
    this.#document = undefined;
    if (this.#routes.size > 0) return;
    this.#closing ??= this.#close();
    await this.#closing;
  }

  async #close(): Promise<void> {
    if (SERVERS.get(this.#key) === this) SERVERS.delete(this.#key);
    const app = await this.#app?.catch(() => undefined);
    await app?.close();
  }

  async #listen(): Promise<void> {
    this.#app = this.#build();
    try {
      const app = await this.#app;
      await app.listen({ host: this.#settings.host, port: this.#settings.port });
    } catch (error) {
      // A port in use, a host not on this machine, or TLS material node cannot read.
      throw new TransportError('SF_BIND_FAILED', `Cannot serve HTTP on ${this.#key}: ${(error as Error).message}`, {
        service: this.#owner.service,
        model: this.#owner.modelPath,
        hint: 'Free the port or give another address (and, for HTTPS, a PEM key and certificate that match)',
        cause: error,
      });
    }
  }

  async #build(): Promise<FastifyInstance> {
    const s = this.#settings;
    const app = Fastify({
      bodyLimit: s.bodyLimitBytes,
      logger: false,
      return503OnClosing: true,
      serverFactory: (handler) => {
        const options = {
          requestTimeout: s.requestTimeoutMs,
          headersTimeout: Math.min(s.requestTimeoutMs, 60_000),
          keepAliveTimeout: s.keepAliveTimeoutMs,
          connectionsCheckingInterval: CHECK_INTERVAL_MS,
        };
        return (s.tls === undefined ? createHttpServer(options, handler) : createHttpsServer({ ...options, ...s.tls }, handler)) as Server;
      },
    });
    // JSON only: fastify also parses text/plain by default, which a front door of JSON models refuses (415).
    app.removeContentTypeParser('text/plain');
    app.setErrorHandler((error: FastifyError, _request, reply) => {
      const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
      if (status >= 500) this.#owner.logger.error({ err: error }, 'HTTP request failed');
      const message = status >= 500 ? 'The request failed' : error.message;
      reply.status(status).send(errorBody('HttpError', error.code ?? 'SF_HTTP_ERROR', message));
    });
    app.setNotFoundHandler((request, reply) => {
      const known = [...this.#routes.keys()].map((path) => `POST ${path}`).join(', ');
      reply
        .status(404)
        .send(
          errorBody(
            'HttpError',
            'SF_HTTP_NOT_FOUND',
            `No route ${request.method} ${pathOf(request.url)}; this server has ${known || 'none'}`,
          ),
        );
    });
    if (s.rateLimitPerMinute !== undefined) {
      await app.register(rateLimit, {
        max: s.rateLimitPerMinute,
        timeWindow: 60_000,
        errorResponseBuilder: (_request, context) => ({
          statusCode: 429,
          code: 'SF_HTTP_RATE_LIMITED',
          message: `Over ${context.max} requests per minute; retry in ${Math.ceil(context.ttl / 1000)} s`,
        }),
      });
    }
    if (s.corsOrigins.length > 0) await app.register(cors, { origin: [...s.corsOrigins], exposedHeaders: [WORKFLOW_HEADER] });
    if (s.docs) await this.#docs(app);
    app.post('/*', (request, reply) => this.#serve(request, reply));
    return app;
  }

  async #docs(app: FastifyInstance): Promise<void> {
    const document = () => {
      this.#document ??= openApiDocument(this.#settings.title, this.#routes.values());
      return this.#document;
    };
    app.get(OPENAPI_PATH, (_request, reply) => {
      reply.send(document());
    });
    await app.register(swagger, {
      mode: 'static',
      specification: { document: { openapi: '3.1.0', info: { title: this.#settings.title, version: '1.0.0' }, paths: {} } },
    });
    await app.register(swaggerUi, {
      routePrefix: DOCS_PATH,
      transformSpecification: () => document(),
      transformSpecificationClone: false,
      uiConfig: { tryItOutEnabled: true },
    });
  }

  async #serve(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const path = pathOf(request.url);
    const route = this.#routes.get(path);
    if (route === undefined) {
      const known = [...this.#routes.keys()].join(', ');
      reply
        .status(404)
        .send(errorBody('HttpError', 'SF_HTTP_NOT_FOUND', `No model is served at ${path}; this server has ${known || 'none'}`));
      return;
    }
    if (route.paused) {
      reply
        .status(503)
        .header('connection', 'close')
        .send(errorBody('HttpError', 'SF_HTTP_UNAVAILABLE', 'The service is shutting down'));
      return;
    }
    const given = request.headers[WORKFLOW_HEADER];
    if (given !== undefined && (typeof given !== 'string' || given.length === 0 || given.length > MAX_WORKFLOW_ID)) {
      reply
        .status(400)
        .send(
          errorBody(
            'HttpError',
            'SF_HTTP_BAD_HEADER',
            `The ${WORKFLOW_HEADER} header must be one id of 1 to ${MAX_WORKFLOW_ID} characters`,
          ),
        );
      return;
    }
    const refused = await refusal(route.auth, request.headers, path, request.ip);
    if (refused !== undefined) {
      route.context.reject('unauthorized', 'refused an HTTP request without valid credentials', { ip: request.ip });
      if (route.auth.bearerDigest !== undefined) reply.header('www-authenticate', 'Bearer');
      reply.status(401).send(errorBody('HttpError', 'SF_HTTP_UNAUTHORIZED', refused));
      return;
    }
    const answer = await call(route, request.body, given ?? null);
    if (answer.workflowId !== null) reply.header(WORKFLOW_HEADER, answer.workflowId);
    reply.status(answer.status).send(answer.body);
  }
}

/** The path part of a request URL. */
function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
