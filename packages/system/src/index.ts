export { loadSystem, SYSTEM_FILE_NAME, DEFAULT_RESTART } from './system-file/load-system.js';
export { SYSTEM_SCHEMA } from './system-file/schema.js';
export type { LoadedSystem, RestartPolicy, ServiceInterface, SystemFile, SystemService, SystemWire } from './system-file/system-types.js';
export { analyseSystem, runOptions, type SystemAnalysis } from './check/analyse-system.js';
export { formatProblem, type Problem, type WireProblemCode } from './check/problem.js';
export { compareModels, type Mismatch } from './check/model-compat.js';
export type { End, InspectedService } from './services/service-ends.js';
export type { Wire } from './wires/pair-wires.js';
export type { Channel } from './addresses/derive-addresses.js';
