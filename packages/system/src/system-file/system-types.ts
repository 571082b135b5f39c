import type { Addresses } from '@sf/core';

/** `connections` / `states` → `in` / `out` → model name → type name: a Python service's declared interface. */
export interface ServiceInterface {
  /** Connection types by side and name. */
  connections?: { in?: Record<string, string>; out?: Record<string, string> };
  /** State types by side and name. */
  states?: { in?: Record<string, string>; out?: Record<string, string> };
}

/** How `sf up` starts a Python service (every key optional: the default is `python3 -m service_framework` with the 0.0.3 flags). */
export interface PythonRun {
  /** The Python interpreter (default `python3`). */
  interpreter?: string;
  /** The module run with `-m` (default `service_framework`); not with `script`. */
  module?: string;
  /** A script to run instead of a module, relative to the system file. */
  script?: string;
  /** Its arguments, instead of the 0.0.3 flags; `{service}` (`./<file>`), `{addresses}`, `{config}` and `{name}` are replaced. */
  args?: string[];
  /** A regular expression: the service is ready once a line of its output matches (default: once started). */
  ready?: string;
}

/** A service's logging (`sf run -cl/-l/-f/-bc`). */
export interface ServiceLog {
  /** Console log level (`-cl`). */
  console_level?: LogLevelName;
  /** Log file folder, relative to the system file (`-l`). */
  folder?: string;
  /** Log file level (`-f`), with `folder`. */
  file_level?: LogLevelName;
  /** Log files kept (`-bc`), with `folder`. */
  backup_count?: number;
}

/** A log level of `sf run`. */
export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** One service of a system file, as written. */
export interface SystemService {
  /** Path of the service file, relative to the system file. */
  service: string;
  /** Main mode (`-m`). */
  main?: boolean;
  /** Path of the config file, relative to the system file. */
  config?: string;
  /** Extra config pairs (`--key value`). */
  extra?: Record<string, string | number | boolean>;
  /** Copies `sf up` starts. */
  replicas?: number;
  /**
   * Where it runs: a host named in `hosts` (or, without `hosts`, the address its binding sockets are
   * reached at); a list of host names places replicas round-robin.
   */
  host?: string | string[];
  /** Serve metrics (`sf run --metrics`): `host:port`, `true` (a free loopback port) or `false` (none, even under `sf up --ui`). */
  metrics?: boolean | string;
  /** Its logging: console level, log folder, file level, backup count. */
  log?: ServiceLog;
  /** A Python 0.0.3 service: `true`, the interpreter, or how to run it. */
  python?: boolean | string | PythonRun;
  /** A Python service's types by side and name. */
  interface?: ServiceInterface;
}

/** An explicit wire: `service.name` ends. */
export interface SystemWire {
  /** The out end. */
  from: string;
  /** The in end. */
  to: string;
}

/** How `sf up` restarts a crashed service. */
export interface RestartPolicy {
  /** Wait before the first restart, doubled after each crash. */
  backoff_ms: number;
  /** Longest wait between restarts. */
  max_backoff_ms: number;
  /** Crashes in a row before the service is reported as a crash loop and left stopped. */
  max_restarts: number;
}

/** Local NATS servers `sf up` starts for the NATS endpoints of a system. */
export interface NatsServers {
  /** How many: 1, or a cluster (3 keeps JetStream state through the loss of one). */
  servers: number;
}

/** One machine of a system spread over several (`hosts.<name>`). */
export interface SystemHost {
  /** Its address: binding sockets of the services placed on it bind it, the others connect to it. */
  address: string;
  /** NATS servers (`host:port`) its NATS endpoints use, in turn. */
  nats?: string[];
}

/** Traces of the JavaScript services (`sf run --otlp`). */
export interface SystemTracing {
  /** OTLP/HTTP traces endpoint of a collector; without it, only `sf up --ui` collects traces. */
  otlp?: string;
  /** Share of new traces kept, 0 to 1 (default 1). */
  sampling?: number;
}

/** The system file (`sf.system.json`) as written. */
export interface SystemFile {
  /** Schema reference, for editors. */
  $schema?: string;
  /** Name of the system. */
  name?: string;
  /** Service name → how to run it. */
  services: Record<string, SystemService>;
  /** Explicit wires. */
  wires?: SystemWire[];
  /** Entry points, `in` ends called from outside (`service.name`) → address, socket → address, or `true` (from `ports.base`). */
  entries?: Record<string, string | true | Record<string, string>>;
  /** `free` loopback ports (default) or numbered from a base. */
  ports?: 'free' | { base: number };
  /** Explicit addresses (seed format), inline or as a path. */
  addresses?: string | Partial<Addresses>;
  /** Restart policy of `sf up`. */
  restart?: Partial<RestartPolicy>;
  /** Local NATS servers for its NATS endpoints (`nats` sockets). */
  nats?: NatsServers;
  /** OpenTelemetry traces: collector URL and sampling. */
  tracing?: SystemTracing;
  /** Host name → the machine: services are placed on them by their `host`. */
  hosts?: Record<string, SystemHost>;
  /** Folder of the services' CurveZMQ key pairs (`sf keys` writes them), relative to the system file; default `keys`. */
  keys?: string;
  /** Encrypt the wires that cross hosts with CurveZMQ (default true); `false` sends them in the clear, and `sf check` warns. */
  encryption?: boolean;
}

/** A system file loaded and checked: paths absolute, explicit addresses read. */
export interface LoadedSystem {
  /** Absolute path of the system file. */
  file: string;
  /** Folder of the system file; service paths are relative to it. */
  dir: string;
  /** Name of the system (its `name`, else the folder name). */
  name: string;
  /** The file's content, checked against the schema. */
  spec: SystemFile;
  /** Explicit addresses, every section present. */
  addresses: Addresses;
  /** The restart policy with defaults applied. */
  restart: RestartPolicy;
}
