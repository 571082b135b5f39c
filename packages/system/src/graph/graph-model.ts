import { basename } from 'node:path';
import { compileModel, describeNode, type ResolvedModel } from '@sf/core';
import type { SystemAnalysis } from '../check/analyse-system.js';

/** A service drawn as a node. */
export interface GraphNode {
  /** The system's name of the service. */
  readonly name: string;
  /** Second line: its file and how it runs. */
  readonly detail: string;
  /** Runs in main mode (a leading-edge service). */
  readonly main: boolean;
  /** An entry point's callers from outside the system (the system file's `entries`), not a service. */
  readonly entry?: boolean;
}

/** A wire drawn as an edge, from the sender to the receiver. */
export interface GraphEdge {
  /** Sending service. */
  readonly from: string;
  /** Receiving service. */
  readonly to: string;
  /** A state (drawn dashed) rather than a connection. */
  readonly state: boolean;
  /** First line: name and types, e.g. `quote: requester → replyer`, and a topic (`ticks: publisher → subscriber, topic 'BTC'`). */
  readonly title: string;
  /** Second line: the model, e.g. `{ symbol: String } → { mid: Decimal }`. */
  readonly model: string;
}

/** Services drawn together in a box: those placed on one host (or on one list of hosts, for replicas spread over several). */
export interface GraphGroup {
  /** The box's label, e.g. `host a · 10.77.0.1`, or `hosts a, b` for services whose replicas run on both. */
  readonly label: string;
  /** The names of its nodes. */
  readonly nodes: readonly string[];
}

/** What `sf graph` draws: the same for every format, free of derived ports (entry points' addresses are stable), so deterministic. */
export interface SystemGraph {
  /** The system's name. */
  readonly name: string;
  /** Services, in the order of the system file. */
  readonly nodes: readonly GraphNode[];
  /** Wires, in the order they were found. */
  readonly edges: readonly GraphEdge[];
  /** With `hosts`: services grouped by where they run, in the order of the system file's `hosts`; empty otherwise. */
  readonly groups: readonly GraphGroup[];
}

/** The picture of an analysed system: services as nodes, wires as edges labelled with type and model. */
export function systemGraph(analysis: SystemAnalysis): SystemGraph {
  const nodes: GraphNode[] = analysis.services.map((service) => ({
    name: service.name,
    detail: [basename(service.file), service.main ? 'main' : '', service.python ? 'python' : ''].filter(Boolean).join(' · '),
    main: service.main,
  }));
  const edges: GraphEdge[] = analysis.wires.map(({ from, to }) => {
    const names = from.name === to.name ? from.name : `${from.name} → ${to.name}`;
    const replies = from.definition?.replies === true;
    const args = modelText(from.model ?? to.model, 'args');
    const model = replies ? `${args} → ${modelText(to.model ?? from.model, 'returns')}` : args;
    const topic = topicText(from.model, to.model);
    return {
      from: from.service,
      to: to.service,
      state: from.kind === 'state',
      title: `${from.kind === 'state' ? 'state ' : ''}${names}: ${from.typeName} → ${to.typeName}${topic}`,
      model,
    };
  });
  for (const entry of analysis.entries) {
    const { end } = entry;
    const name = `outside → ${end.service}.${end.name}`;
    // An entry type's end (an HTTP front door) may have a derived port: drawn by its type, so the graph stays the same.
    const detail = entry.automatic ? end.typeName : Object.values(entry.addresses).join(', ');
    nodes.push({ name, detail, main: false, entry: true });
    const replies = end.definition?.replies === true;
    const args = modelText(end.model, 'args');
    const topic = topicText(end.model, end.model);
    edges.push({
      from: name,
      to: end.service,
      state: end.kind === 'state',
      title: `${end.kind === 'state' ? 'state ' : ''}${end.name}: entry point → ${end.typeName}${topic}`,
      model: replies ? `${args} → ${modelText(end.model, 'returns')}` : args,
    });
  }
  return { name: analysis.system.name, nodes, edges, groups: hostGroups(analysis) };
}

/** Services by host: one group per host, then one per list of hosts (replicas placed on several). */
function hostGroups(analysis: SystemAnalysis): GraphGroup[] {
  const hosts = analysis.system.spec.hosts;
  if (hosts === undefined) return [];
  const groups = new Map<string, string[]>(Object.keys(hosts).map((name) => [name, []]));
  for (const service of analysis.services) {
    const key = [analysis.system.spec.services[service.name]?.host ?? []].flat().join(', ');
    groups.set(key, [...(groups.get(key) ?? []), service.name]);
  }
  return [...groups]
    .filter(([, names]) => names.length > 0)
    .map(([key, names]) => ({ label: hosts[key] ? `host ${key} · ${hosts[key].address}` : `hosts ${key}`, nodes: names }));
}

/** `, topic 'BTC'` for a pub/sub wire; `, topic 'BTC' → 'ETH'` when the two ends differ (sf check reports it); `''` without topics. */
function topicText(sender: ResolvedModel | undefined, receiver: ResolvedModel | undefined): string {
  const sent = topicOf(sender);
  const taken = topicOf(receiver);
  if (sent === undefined && taken === undefined) return '';
  // A Python end's model is not loaded: the other end's topic is all that is known.
  if (sender === undefined || receiver === undefined || sent === taken) return `, topic '${sent ?? taken}'`;
  const text = (topic: string | undefined) => (topic === undefined ? 'none' : `'${topic}'`);
  return `, topic ${text(sent)} → ${text(taken)}`;
}

/** A pub/sub end's `topic` creation argument, when it has a non-empty one. */
function topicOf(model: ResolvedModel | undefined): string | undefined {
  const topic = model?.creation.topic;
  return typeof topic === 'string' && topic !== '' ? topic : undefined;
}

const LINE = 48;

/** A model's keys and types, wrapped at about {@link LINE} characters (`\n` between lines). */
function modelText(model: ResolvedModel | undefined, which: 'args' | 'returns'): string {
  if (model === undefined) return '(model not loaded)';
  const node = compileModel(model.declared[which], { root: which }).node;
  if (node.kind !== 'model' || node.fields.length === 0) return describeNode(node);
  const parts = node.fields.map((field) => `${field.name}${field.optional ? '?' : ''}: ${describeNode(field.node)}`);
  const lines = parts.reduce<string[]>((done, part) => {
    const last = done.at(-1);
    if (last !== undefined && last.length + part.length + 2 <= LINE) done[done.length - 1] = `${last}, ${part}`;
    else done.push(part);
    return done;
  }, []);
  return `{ ${lines.join(',\n')} }`;
}
