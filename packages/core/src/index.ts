export * from './errors.js';
export { Decimal } from './types/decimal.js';
export { UUID } from './types/uuid.js';
export { createRegistry, type Registry, type ResolvedType } from './registry/registry.js';
export type { TypeLookup } from './registry/unknown-type.js';
export { discoverPlugins, registerDiscovered } from './registry/discover-plugins.js';
export { CORE_MAJOR, CORE_VERSION } from './registry/core-version.js';
// The wire codec stays here for users' own peers (a raw ZeroMQ client or test speaking SPEC §4); plugins import it from @sf/core/plugin.
export {
  decodeReply,
  decodeRequest,
  decodeValue,
  encodeErrorReply,
  encodeReply,
  encodeRequest,
  encodeValue,
  type ReplyEnvelope,
  type ReplyError,
  type ReplyFault,
  type RequestEnvelope,
  MAX_TRACEPARENT,
} from './codec/index.js';
export { prepareService, type PrepareOptions, type PreparedService } from './service/prepare-service.js';
export { startService, type RunningService, type StartOptions } from './runner/start-service.js';
export { DURATION_BUCKETS, EndpointStats, PeerLinks, type PluginEvent, type PluginGauge } from './metrics/endpoint-stats.js';
export { type Readiness, ServiceMetrics } from './metrics/service-metrics.js';
export type { ServiceTracer, SpanOperation, SpanSubject, TraceSpan } from './tracing/tracer.js';
export { LOG_LEVELS, type LogLevel, type LoggingOptions } from './runner/logger.js';
export { REDACTED } from './runner/redaction.js';
export type { ResolvedModel } from './models/resolved-model.js';
export { any, jsonSchema, mapOf, nullable, oneOf, optional, secret, setOf, tupleOf } from './types/helpers.js';
export { compileArguments, type ArgumentsValidator, type CompileWhere } from './types/compile-arguments.js';
export { toJsonSchema } from './types/to-json-schema.js';
export { describeArguments, describeNode, describeSpec } from './types/describe.js';
export { type CompiledModel, compileModel } from './types/compile-arguments.js';
export type { FieldNode, ModelNode, SpecNode } from './types/spec-node.js';
export { type LoadedServiceModule, loadServiceModule } from './service/load-service.js';
export { readJsonFile } from './config/read-json-file.js';
export { type ListenAddress, parseListenAddress } from './config/listen-address.js';
export { isLoopbackHost } from './config/parse-address.js';
export { ALLOWED_HOSTS_ENV, allowedHostsFromEnv, hostAllowed } from './util/host-header.js';
export { didYouMean, nearest } from './util/nearest.js';
export { type Addresses, checkAddresses, emptyAddresses } from './config/load-addresses.js';
export type { Infer, InferArguments } from './types/infer.js';
export type {
  AnySpec,
  ArgumentModel,
  HelperSpec,
  KeyedModel,
  Literal,
  LiteralSpec,
  MapSpec,
  NestedSpec,
  NullableSpec,
  OptionalSpec,
  ScalarConstructor,
  SchemaSpec,
  SecretSpec,
  SetSpec,
  TupleSpec,
  TypeSpec,
} from './types/spec.js';
export { defineService, type ServiceDefinition, type TypedService } from './service/define-service.js';
export type * from './service/service-types.js';
