export * from './errors.js';
export { Decimal } from './types/decimal.js';
export { UUID } from './types/uuid.js';
export { createRegistry, type Registry, type ResolvedType } from './registry/registry.js';
export type { TypeLookup } from './registry/unknown-type.js';
export { discoverPlugins, registerDiscovered } from './registry/discover-plugins.js';
export { CORE_MAJOR, CORE_VERSION } from './registry/core-version.js';
export {
  decodeReply,
  decodeRequest,
  decodeValue,
  encodeReply,
  encodeRequest,
  encodeValue,
  type ReplyEnvelope,
  type ReplyError,
  type RequestEnvelope,
} from './codec/index.js';
