import type { PreparedService, ResolvedModel } from '@sf/core';
import type { Kind, Plugin, Side, TypeDefinition } from '@sf/core/plugin';

/** One connection or state model of one service: an end of zero or more wires. */
export interface End {
  /** The system's name of the service. */
  readonly service: string;
  /** `connection` or `state`. */
  readonly kind: Kind;
  /** `in` or `out`. */
  readonly side: Side;
  /** Model name, e.g. `quote`. */
  readonly name: string;
  /** Model path, e.g. `connection_models.out.quote`. */
  readonly path: string;
  /** Type name as written. */
  readonly typeName: string;
  /** The type's definition, when a plugin provides it. */
  readonly definition: TypeDefinition | undefined;
  /** The resolved model after the service was prepared (JavaScript services that load). */
  model?: ResolvedModel;
}

/** A service of the system with what was found in it. */
export interface InspectedService {
  /** The system's name of the service. */
  readonly name: string;
  /** Absolute path of the service file. */
  readonly file: string;
  /** Runs in main mode. */
  readonly main: boolean;
  /** A Python 0.0.3 service (declared interface, not loaded). */
  readonly python: boolean;
  /** Its connection and state models. */
  readonly ends: End[];
  /** The service prepared without sockets, once addresses are derived (`undefined` when it failed or is Python). */
  prepared?: PreparedService;
  /** The plugins installed in its project (found once per project folder), when it was loaded. */
  plugins?: readonly Plugin[];
}

/** `connection_models.out.quote` for a model. */
export function modelPath(kind: Kind, side: Side, name: string): string {
  return `${kind === 'connection' ? 'connection_models' : 'state_models'}.${side}.${name}`;
}

/** `quote` wired between two services: `market-data.quote`. */
export function endLabel(end: End): string {
  return `${end.service}.${end.name}`;
}
