import { freePort } from '@sf/core/testing';
import type { LoadedSystem } from '../system-file/system-types.js';

/** The socket name of every NATS endpoint (`@sf/conn-nats`, `@sf/state-nats-kv`): `host:port` of one server. */
export const NATS_SOCKET = 'nats';

/** One nats-server `sf up` starts: its name, client port and cluster route port. */
export interface NatsNodePlan {
  readonly name: string;
  readonly client: number;
  readonly route: number;
}

/** The local NATS servers of a system (its `nats` entry), ports chosen when its addresses are derived. */
export interface NatsPlan {
  readonly nodes: readonly NatsNodePlan[];
  /** `127.0.0.1:<client port>` of every node, in order: what NATS sockets are given. */
  readonly addresses: readonly string[];
}

/** Free loopback ports for the servers of the system's `nats` entry, or undefined without one. */
export async function planNats(system: LoadedSystem): Promise<NatsPlan | undefined> {
  const size = system.spec.nats?.servers;
  if (size === undefined) return undefined;
  const taken = new Set<number>();
  const port = async () => {
    let candidate = await freePort();
    while (taken.has(candidate)) candidate = await freePort();
    taken.add(candidate);
    return candidate;
  };
  const nodes: NatsNodePlan[] = [];
  for (let n = 0; n < size; n += 1) nodes.push({ name: `nats-${n + 1}`, client: await port(), route: await port() });
  return { nodes, addresses: nodes.map((node) => `127.0.0.1:${node.client}`) };
}
