import { dirname, resolve } from 'node:path';
import { createRegistry, type PreparedService, prepareService, ServiceStateError, TestkitError } from '@sf/core';
import {
  decodeReply,
  type Endpoint,
  type EndpointContext,
  encodeErrorReply,
  encodeRequest,
  type Plugin,
  type TypeDefinition,
} from '@sf/core/plugin';
import {
  collectServiceExports,
  endpointContext,
  type InboundScope,
  InflightCounter,
  loadServiceModule,
  newWorkflowId,
  Outputs,
  recordingLogger,
  registerDiscovered,
  RejectCounter,
  workflowToSend,
} from '@sf/core/testing';
import { inMemory } from './memory-types.js';
import { playPeer, type Script, type SentCall } from './scripts.js';
import type { CallResult, TestService, TestServiceOf } from './types.js';

/** How to build the service, as `sf run` would: files and pairs for the config, plugins to resolve types with. */
export interface TestServiceOptions {
  /** Folder relative paths are resolved from (default `process.cwd()`). */
  cwd?: string;
  /** Config file (`-c`). */
  config?: string;
  /** Extra `--key value` pairs (strings, as from the command line). */
  extra?: Readonly<Record<string, string>>;
  /** Addresses file (`-a`): optional; when given, it is checked against the types' socket names. */
  addresses?: string;
  /** Plugins that provide the service's types (their declarations are used; no socket is opened). */
  plugins?: readonly Plugin[];
  /** Also find the plugins installed in the service's project, as `sf run` does (default true). */
  discover?: boolean;
  /** For a service given as an object: the file name it is known by in messages (default: "the service object given to testService"). */
  file?: string;
}

/**
 * Loads a service (a file path, or the `defineService` object itself) in-process, with every
 * connection and state type in memory: the runner's own pipeline (config, models, argument and
 * return checks, error replies, workflow ids) without sockets. Typed from the service's models.
 */
export async function testService<S extends object | string>(
  service: S,
  options: TestServiceOptions = {},
): Promise<S extends string ? TestService : TestServiceOf<S>> {
  const cwd = options.cwd ?? process.cwd();
  const loaded =
    typeof service === 'string'
      ? await loadServiceModule(service, cwd)
      : {
          file: resolve(cwd, options.file ?? 'service.ts'),
          exports: collectServiceExports({ default: service }, resolve(cwd, options.file ?? 'service.ts')),
        };
  const registry = createRegistry();
  for (const plugin of options.plugins ?? []) registry.register(plugin);
  if (options.discover !== false) await registerDiscovered(registry, dirname(loaded.file));
  const harness = new Harness();
  const prepared = await prepareService({
    service: loaded.file,
    module: loaded.exports,
    config: options.config,
    extra: options.extra,
    addresses: options.addresses,
    cwd,
    plugins: registry.plugins().map((plugin) => inMemory(plugin, harness)),
    discover: false,
    mainMode: typeof loaded.exports.main === 'function' && !hasInModels(loaded.exports),
  });
  // A service given as an object has no file unless one is named: messages must not name a file that does not exist.
  await harness.open(prepared, typeof service === 'string' || options.file !== undefined ? loaded.file : OBJECT_SERVICE);
  return harness as never;
}

/** How messages name a service given as an object without `options.file`. */
const OBJECT_SERVICE = 'the service object given to testService';

function hasInModels(exports: Record<string, unknown>): boolean {
  const some = (group: unknown) => Object.keys((group as { in?: object } | undefined)?.in ?? {}).length > 0;
  return some(exports.connection_models) || some(exports.state_models);
}

/** The in-memory running service behind {@link TestService}. */
class Harness implements TestService {
  readonly #inbound = new Map<string, EndpointContext>();
  readonly #sent = new Map<string, SentCall[]>();
  readonly #scripts = new Map<string, Script>();
  readonly #recorder = recordingLogger('test');
  #prepared!: PreparedService;
  /** The service file, or how a service given as an object is named in messages. */
  #label!: string;
  #scope!: InboundScope;

  get config(): any {
    return this.#scope.config;
  }

  get states(): any {
    return this.#scope.states;
  }

  get logs() {
    return this.#recorder.entries;
  }

  /** Creates and opens every endpoint through the runner's own contexts. */
  async open(prepared: PreparedService, label: string): Promise<void> {
    const logger = this.#recorder.logger;
    this.#prepared = prepared;
    this.#label = label;
    this.#scope = {
      outputs: new Outputs(prepared.file, logger),
      states: {},
      config: prepared.config,
      logger,
      inflight: new InflightCounter(),
      rejections: new RejectCounter(),
    };
    for (const model of prepared.models) {
      const endpoint = await model.definition.create(endpointContext(model, prepared, this.#scope, this.#scope.rejections!));
      await endpoint.open();
      if (model.side === 'out') this.#scope.outputs.add(model, endpoint);
    }
  }

  /** In models register their context here (see `inMemory`). */
  inbound(context: EndpointContext): void {
    this.#inbound.set(context.modelPath, context);
  }

  /** Out models get an endpoint that records each send and answers it with the script. */
  outbound(context: EndpointContext, definition: TypeDefinition): Endpoint {
    const path = context.modelPath;
    const sent: SentCall[] = [];
    this.#sent.set(path, sent);
    return {
      open: async () => undefined,
      close: async () => undefined,
      send: async (message) => {
        const call: SentCall = { args: message.args as Record<string, unknown>, workflow_id: message.workflowId };
        sent.push(call);
        const script = this.#scripts.get(path);
        if (script === undefined && definition.replies) {
          throw new TestkitError(
            'SF_TESTKIT_NO_REPLY',
            `No reply scripted for ${path}, so to_send('connection', '${context.name}', …) cannot be answered`,
            {
              service: context.service,
              model: path,
              hint: `Call respond('${context.name}', (args) => ({ ...return args })) before the handler sends`,
            },
          );
        }
        return playPeer(script, definition.replies, message, call);
      },
    };
  }

  async call(name: string, args: Record<string, unknown>, options: { workflowId?: string } = {}): Promise<CallResult<any>> {
    const context = this.#lookup(this.#inbound, 'connection_models.in', name);
    const workflowId = options.workflowId ?? newWorkflowId();
    const mark = this.logs.length;
    // The runner's handling step on the args as given (no MessagePack round trip); a context
    // without it (an older runner) goes through a request frame.
    const handled = context.handle === undefined ? undefined : await context.handle(args, workflowId);
    const failed = () =>
      this.logs.slice(mark).find((entry) => entry.level === 'warn' && entry.fields.workflow_id === workflowId && 'err' in entry.fields);
    if (handled !== undefined) {
      if (handled.ok) return { ok: true, return_args: handled.returnArgs, workflow_id: workflowId };
      return { ok: false, return_args: null, workflow_id: workflowId, error: handled.error, cause: failed()?.fields.err };
    }
    const reply = await context.receive(encodeRequest({ args, workflow_id: workflowId }));
    const failure = failed();
    if (reply !== undefined) {
      const envelope = decodeReply(reply);
      if (envelope.error === undefined) return { ok: true, return_args: envelope.return_args ?? {}, workflow_id: workflowId };
      return { ok: false, return_args: null, workflow_id: workflowId, error: envelope.error, cause: failure?.fields.err };
    }
    if (failure === undefined) return { ok: true, return_args: {}, workflow_id: workflowId };
    // No reply is due: the peer is told nothing; show the error reply a replying type would carry.
    const err = failure.fields.err;
    const error = decodeReply(encodeErrorReply(workflowId, err, failure.fields.reason === 'bad_arguments' ? 'request' : 'service')).error!;
    return { ok: false, return_args: null, workflow_id: workflowId, error, cause: err };
  }

  respond(name: string, reply: unknown, options: { delayMs?: number } = {}): this {
    const path = this.#outPath('connection', name);
    this.#scripts.set(path, { respond: typeof reply === 'function' ? (reply as never) : () => reply, options });
    return this;
  }

  fail(name: string, error: unknown, kind: 'connection' | 'state' = 'connection'): this {
    this.#scripts.set(this.#outPath(kind, name), { fail: error });
    return this;
  }

  sent(name: string): readonly SentCall<any, any>[] {
    return this.#lookup(this.#sent, 'connection_models.out', name);
  }

  sentState(name: string): readonly SentCall<any, any>[] {
    return this.#lookup(this.#sent, 'state_models.out', name);
  }

  async setState(name: string, value: Record<string, unknown>, options: { workflowId?: string } = {}): Promise<void> {
    const context = this.#lookup(this.#inbound, 'state_models.in', name);
    const problem = context.check(value);
    if (problem !== undefined) throw problem;
    const workflowId = options.workflowId ?? newWorkflowId();
    const mark = this.logs.length;
    await context.update(value, workflowId);
    const failure = this.logs.slice(mark).find((entry) => entry.fields.workflow_id === workflowId && entry.msg === 'on_update threw');
    if (failure !== undefined) throw failure.fields.err;
  }

  runMain(): Promise<void> {
    const main = this.#function('main');
    return this.#counted(() => main(workflowToSend(this.#scope.outputs, newWorkflowId()), this.#scope.config));
  }

  signal(signal: NodeJS.Signals = 'SIGINT'): Promise<void> {
    const handler = this.#function('sigint_handler');
    return this.#counted(() =>
      handler(signal, workflowToSend(this.#scope.outputs, newWorkflowId()), this.#scope.states, this.#scope.config),
    );
  }

  idle(): Promise<void> {
    return this.#scope.inflight.idle();
  }

  async #counted(run: () => unknown): Promise<void> {
    this.#scope.inflight.enter();
    try {
      await run();
    } finally {
      this.#scope.inflight.leave();
    }
  }

  #function(name: 'main' | 'sigint_handler'): (...args: unknown[]) => unknown {
    const value = this.#prepared.exports[name];
    if (typeof value !== 'function')
      throw new ServiceStateError('SF_MAIN_MODE_INVALID', `The service exports no ${name} function`, {
        service: this.#label,
        hint: `Export ${name} from the service`,
      });
    return value as (...args: unknown[]) => unknown;
  }

  #outPath(kind: 'connection' | 'state', name: string): string {
    return this.#lookupPath(this.#sent, `${kind}_models.out`, name);
  }

  #lookup<T>(map: Map<string, T>, group: string, name: string): T {
    return map.get(this.#lookupPath(map, group, name))!;
  }

  #lookupPath(map: Map<string, unknown>, group: string, name: string): string {
    const path = `${group}.${name}`;
    if (map.has(path)) return path;
    const names = [...map.keys()].filter((key) => key.startsWith(`${group}.`)).map((key) => key.slice(group.length + 1));
    throw new TestkitError('SF_TESTKIT_UNKNOWN_MODEL', `The service has no ${group}.${name}`, {
      service: this.#label,
      model: group,
      hint: names.length > 0 ? `Its ${group} models are: ${names.join(', ')}` : `It declares no ${group} models`,
    });
  }
}
