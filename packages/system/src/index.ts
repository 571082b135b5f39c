export { loadSystem, SYSTEM_FILE_NAME, DEFAULT_RESTART } from './system-file/load-system.js';
export { SYSTEM_SCHEMA, SYSTEM_SCHEMA_FILE } from './system-file/schema.js';
export type {
  LoadedSystem,
  RestartPolicy,
  ServiceInterface,
  SystemFile,
  SystemHost,
  SystemService,
  SystemWire,
} from './system-file/system-types.js';
export { hostNames, type Placement, placeProcesses, processName } from './system-file/placement.js';
export { analyseSystem, runOptions, type SystemAnalysis, type SystemProcess } from './check/analyse-system.js';
export { describeEntry, type EntryPoint } from './wires/entries.js';
export { errorsOf, formatProblem, type Problem, type WireProblemCode } from './check/problem.js';
export { compareModels, type Mismatch } from './check/model-compat.js';
export type { End, InspectedService } from './services/service-ends.js';
export type { Wire } from './wires/pair-wires.js';
export type { Channel } from './addresses/derive-addresses.js';
export { type GraphEdge, type GraphNode, type SystemGraph, systemGraph } from './graph/graph-model.js';
export { toMermaid } from './graph/mermaid.js';
export { toDot } from './graph/dot.js';
export { toSvg } from './graph/svg.js';
export { INIT_PORT_BASE, initSystem, type InitOptions } from './system-file/init-system.js';
export { runSystem, type UpOptions } from './up/run-system.js';
export { startOrder, startPrerequisites } from './up/start-order.js';
export { DEFAULT_KEYS_DIR, keyedServices, keysDir, type ServiceKeyFiles, serviceKeyFiles } from './keys/system-keys.js';
export { type CreationFile, type CurvePlan, planCurve } from './keys/curve-plan.js';
