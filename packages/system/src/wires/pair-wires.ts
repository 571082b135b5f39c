import { didYouMean } from '@sf/core';
import type { Problem } from '../check/problem.js';
import type { End, InspectedService } from '../services/service-ends.js';
import type { SystemWire } from '../system-file/system-types.js';

/** One wire: an out end and the in end it sends to. */
export interface Wire {
  /** The sending (`out`) end. */
  readonly from: End;
  /** The receiving (`in`) end. */
  readonly to: End;
  /** Whether a `wires` entry made it (else the two ends share a name). */
  readonly explicit: boolean;
}

/**
 * Wires the ends of a system: each `wires` entry, then by name — an out model and an in model of
 * the same kind and name in two services are one wire (fan-out and fan-in included). An end named
 * in a `wires` entry is wired only as the entries say.
 */
export function pairWires(services: readonly InspectedService[], entries: readonly SystemWire[]): { wires: Wire[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const wires: Wire[] = [];
  const named = new Set<End>();
  entries.forEach((entry, index) => {
    const from = findEnd(services, entry.from, 'out', `wires[${index}].from`, problems);
    const to = findEnd(services, entry.to, 'in', `wires[${index}].to`, problems);
    if (from) named.add(from);
    if (to) named.add(to);
    if (from && to) wires.push({ from, to, explicit: true });
  });
  const ends = services.flatMap((service) => service.ends).filter((end) => !named.has(end));
  for (const from of ends.filter((end) => end.side === 'out')) {
    for (const to of ends.filter((end) => end.side === 'in')) {
      if (to.kind === from.kind && to.name === from.name && to.service !== from.service) wires.push({ from, to, explicit: false });
    }
  }
  return { wires, problems };
}

/** `service.name`, `service.connections.name` or `service.states.name` on the given side; a problem at `at` (`wires[0].to`) if none. */
export function findEnd(
  services: readonly InspectedService[],
  text: string,
  side: 'in' | 'out',
  at: string,
  problems: Problem[],
): End | undefined {
  const [serviceName = '', ...rest] = text.split('.');
  const kind = rest.length === 2 ? (rest[0] === 'states' ? 'state' : 'connection') : undefined;
  const name = rest.at(-1) ?? '';
  const service = services.find((candidate) => candidate.name === serviceName);
  if (service === undefined) {
    const names = services.map((candidate) => candidate.name);
    problems.push({
      code: 'SF_WIRE_UNKNOWN_END',
      service: '(system)',
      model: at,
      message: `No service named '${serviceName}'`,
      fix: didYouMean(serviceName, names) || `Services: ${names.join(', ')}`,
    });
    return undefined;
  }
  const found = service.ends.filter((end) => end.side === side && end.name === name && (kind === undefined || end.kind === kind));
  if (found.length === 1) return found[0];
  if (found.length > 1) {
    problems.push({
      code: 'SF_WIRE_UNKNOWN_END',
      service: service.name,
      model: at,
      message: `'${name}' is both a connection and a state on the ${side} side`,
      fix: `Write ${serviceName}.connections.${name} or ${serviceName}.states.${name}`,
    });
    return undefined;
  }
  const names = service.ends.filter((end) => end.side === side).map((end) => end.name);
  problems.push({
    code: 'SF_WIRE_UNKNOWN_END',
    service: service.name,
    model: at,
    message: `'${text}' names no ${side} connection or state of ${service.name}`,
    fix:
      didYouMean(name, names) || (names.length > 0 ? `Its ${side} models: ${names.join(', ')}` : `${service.name} has no ${side} models`),
  });
  return undefined;
}
