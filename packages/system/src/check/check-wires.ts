import { type CompiledModel, compileModel, nearest, type ResolvedModel } from '@sf/core';
import type { Channel } from '../addresses/derive-addresses.js';
import { binds } from '../addresses/sockets.js';
import { type End, endLabel, type InspectedService } from '../services/service-ends.js';
import type { Wire } from '../wires/pair-wires.js';
import { compareModels } from './model-compat.js';
import type { Problem, WireProblemCode } from './problem.js';

/** Checks every wire's two ends against each other: peer types, argument and return models, state models, topics. */
export function checkWires(wires: readonly Wire[]): Problem[] {
  const nodes = new ModelNodes();
  return wires.flatMap((wire) => {
    const peerProblem = checkPeers(wire);
    if (peerProblem) return [peerProblem];
    const { from, to } = wire;
    if (from.model === undefined || to.model === undefined) return [];
    const problems = compare(nodes, wire, from.model, to.model, 'args', from.kind === 'state' ? 'SF_WIRE_STATE' : 'SF_WIRE_ARGUMENTS');
    if (from.definition?.replies) problems.push(...compare(nodes, wire, to.model, from.model, 'returns', 'SF_WIRE_RETURNS'));
    const topic = checkTopic(wire, from.model, to.model);
    return topic ? [...problems, topic] : problems;
  });
}

/** Whether a wire's two types are peers (unknown types are reported elsewhere and count as agreeing). */
export function peersAgree({ from, to }: Wire): boolean {
  if (from.definition === undefined || to.definition === undefined) return true;
  return from.definition.peers.includes(to.typeName) || to.definition.peers.includes(from.typeName);
}

function checkPeers({ from, to }: Wire): Problem | undefined {
  if (from.definition === undefined || to.definition === undefined || peersAgree({ from, to, explicit: false })) return undefined;
  const peers = from.definition.peers;
  return {
    code: 'SF_WIRE_PEER_TYPE',
    service: to.service,
    model: to.path,
    message:
      `'${to.typeName}' cannot receive from ${endLabel(from)}, a '${from.typeName}'; ` +
      `its peer types are ${to.definition.peers.join(', ') || 'none'}`,
    fix:
      peers.length > 0
        ? `use ${peers.map((peer) => `'${peer}'`).join(' or ')} here, or change ${endLabel(from)}'s type`
        : `${endLabel(from)}'s type talks to no other service: remove the wire`,
  };
}

/**
 * The parsed models of each end: those compiled when the service was prepared (same roots), else
 * compiled once per check, so an end on many wires (a state's writer and its hundred readers, a
 * publisher and its subscribers) is not compiled again for each.
 */
class ModelNodes {
  readonly #nodes = new WeakMap<ResolvedModel, Map<string, CompiledModel['node']>>();

  /** The parsed `which` model of `model`, its paths starting at `root`. */
  of(model: ResolvedModel, which: 'args' | 'returns', root: string): CompiledModel['node'] {
    const prepared = which === 'returns' ? model.returns : model.args;
    if (prepared !== undefined && prepared.node.path === root) return prepared.node;
    const byRoot = this.#nodes.get(model) ?? new Map<string, CompiledModel['node']>();
    this.#nodes.set(model, byRoot);
    const key = `${which} ${root}`;
    const node = byRoot.get(key) ?? compileModel(model.declared[which], { root }).node;
    byRoot.set(key, node);
    return node;
  }
}

/** `args`: the out model's arguments checked against the in model's; `returns`: the replier's return model against the caller's. */
function compare(
  nodes: ModelNodes,
  wire: Wire,
  sender: ResolvedModel,
  receiver: ResolvedModel,
  which: 'args' | 'returns',
  code: WireProblemCode,
): Problem[] {
  const root = which === 'returns' ? 'return_args' : sender.kind === 'state' ? 'state' : 'args';
  const sent = nodes.of(sender, which, root);
  const accepted = nodes.of(receiver, which, root);
  const receiving = which === 'returns' ? wire.from : wire.to;
  const sending = which === 'returns' ? wire.to : wire.from;
  return compareModels(sent, accepted).map((mismatch) => ({
    code,
    service: receiving.service,
    model: receiving.path,
    argument: mismatch.path,
    message: `${mismatch.what.replace('the sender', endLabel(sending))}`,
    fix: mismatch.fix.replace("the sender's", `${sending.service}'s`).replace('the sender', sending.service),
  }));
}

/** A publisher's `topic` and a subscriber's must be equal: a frame is delivered when it starts with the subscribed topic. */
function checkTopic({ from, to }: Wire, sender: ResolvedModel, receiver: ResolvedModel): Problem | undefined {
  const takesTopic = (end: End) =>
    Object.hasOwn({ ...end.definition?.creationArguments?.required, ...end.definition?.creationArguments?.optional }, 'topic');
  if (!takesTopic(from) || !takesTopic(to)) return undefined;
  const sent = sender.creation.topic;
  const subscribed = receiver.creation.topic;
  if ((sent ?? '') === (subscribed ?? '')) return undefined;
  const text = (topic: unknown) => (topic === undefined || topic === '' ? 'no topic' : `topic '${String(topic)}'`);
  return {
    code: 'SF_WIRE_TOPIC',
    service: to.service,
    model: to.path,
    message: `subscribes to ${text(subscribed)} but ${endLabel(from)} publishes with ${text(sent)}, so no message arrives`,
    fix:
      sent === undefined
        ? `remove the topic here, or give ${from.service}'s ${from.name} topic '${String(subscribed)}'`
        : `set topic: '${String(sent)}' here`,
  };
}

/**
 * Every `in` end needs a sender (unless it is an entry point, called from outside the system); an
 * `out` end that waits for replies needs a replier. An unwired end whose name is near an unwired
 * peer's on the other side (`prce` and `price`) is most likely misspelt: one problem, on the `in`
 * end, says "did you mean".
 */
export function checkUnconnected(
  services: readonly InspectedService[],
  wires: readonly Wire[],
  entries: ReadonlySet<End> = new Set(),
): Problem[] {
  const wired = new Set(wires.flatMap((wire) => [wire.from, wire.to]));
  const unwired = services.flatMap((service) => service.ends).filter((end) => !wired.has(end) && !entries.has(end));
  const problems: Problem[] = [];
  const explained = new Set<End>();
  // In ends first: one that finds its misspelt sender explains that sender's problem too.
  for (const end of [...unwired.filter((end) => end.side === 'in'), ...unwired.filter((end) => end.side === 'out')]) {
    if (explained.has(end) || end.definition === undefined || end.definition.peers.length === 0) continue;
    const other = end.side === 'in' ? 'out' : 'in';
    const near = end.side === 'in' ? misspelt(end, unwired) : undefined;
    if (near !== undefined) {
      explained.add(near);
      problems.push(misspeltProblem(end, near));
      continue;
    }
    if (end.side === 'out' && !end.definition.replies) continue;
    const section = sectionOf(end);
    const label = `${end.service}.${end.name}`;
    const wireEntry = JSON.stringify(end.side === 'in' ? { from: 'service.name', to: label } : { from: label, to: 'service.name' });
    problems.push({
      code: 'SF_WIRE_UNCONNECTED',
      service: end.service,
      model: end.path,
      message:
        end.side === 'in'
          ? `nothing sends to it: no service has ${section}.out.${end.name}`
          : `nothing replies to it: no service has ${section}.in.${end.name}`,
      fix:
        `add a service with ${section}.${other}.${end.name} (a ${end.definition.peers.join(' or ')}), or a "wires" entry ${wireEntry}` +
        (end.side === 'in' ? `, or declare it an entry point called from outside: "entries": { "${label}": "host:port" }` : ''),
    });
  }
  return problems;
}

/** An unwired end on the other side, in another service, of the same kind and a peer type, whose name is near this one's. */
function misspelt(end: End, unwired: readonly End[]): End | undefined {
  const candidates = unwired.filter(
    (other) =>
      other.side !== end.side &&
      other.kind === end.kind &&
      other.service !== end.service &&
      (other.definition === undefined || end.definition?.peers.includes(other.typeName) || other.definition.peers.includes(end.typeName)),
  );
  const name = nearest(end.name, new Set(candidates.map((other) => other.name)));
  return name === undefined ? undefined : candidates.find((other) => other.name === name);
}

function misspeltProblem(into: End, from: End): Problem {
  const section = sectionOf(into);
  return {
    code: 'SF_WIRE_UNCONNECTED',
    service: into.service,
    model: into.path,
    message:
      `nothing sends to it: no service has ${section}.out.${into.name}, ` +
      `but ${from.service} has ${section}.out.${from.name} (a ${from.typeName}), wired to nothing`,
    fix:
      `Did you mean '${into.name}'? Give both ends one name ` +
      `(rename ${from.service}'s ${from.name} to ${into.name}, or this one to ${from.name}), ` +
      `or add a "wires" entry ${JSON.stringify({ from: endLabel(from), to: endLabel(into) })}`,
  };
}

function sectionOf(end: End): string {
  return end.kind === 'connection' ? 'connection_models' : 'state_models';
}

/**
 * No two sockets may bind one address. A binding service with replicas binds one address per
 * replica (a channel's `replica`); where they share one (an explicit address given once), every
 * copy counts as a binder.
 */
export function checkBinders(channels: readonly Channel[], replicas: (service: string) => number): Problem[] {
  const byAddress = new Map<string, { label: string; service: string; path: string }[]>();
  for (const channel of channels) {
    const key = channel.address.replace(/^tcp:\/\//, '');
    const binding = channel.sockets.filter(binds);
    for (const socket of binding) {
      const own = channel.replica !== undefined && socket === binding[0];
      // The group's other binders were given the first replica's address only.
      if (!own && channel.replica !== undefined && channel.replica > 1) continue;
      const copies = own ? [channel.replica!] : Array.from({ length: replicas(socket.end.service) }, (_, index) => index + 1);
      for (const copy of copies) {
        const several = own || copies.length > 1;
        const label = `${socket.end.service}${several ? ` (replica ${copy})` : ''} ${socket.end.path} '${socket.name}'`;
        const binders = byAddress.get(key) ?? [];
        if (binders.length === 0) byAddress.set(key, binders);
        binders.push({ label, service: socket.end.service, path: socket.end.path });
      }
    }
  }
  const problems: Problem[] = [];
  for (const [address, binders] of byAddress) {
    if (binders.length < 2) continue;
    const first = binders[0]!;
    problems.push({
      code: 'SF_WIRE_BINDERS',
      service: first.service,
      model: first.path,
      message: `${binders.length} sockets bind ${address}: ${binders.map((binder) => binder.label).join(', ')}`,
      fix:
        'only one side may bind an address: for fan-in to a subscriber give it is_binder: true and the publishers is_x_pub: true; ' +
        'for replicas of a binding service leave the address to sf (one per replica) or give a list with one address per replica; ' +
        'otherwise give each its own address',
    });
  }
  return problems;
}
