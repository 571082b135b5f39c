import type { SystemAnalysis } from '../check/analyse-system.js';

/**
 * The order `sf up` starts services in, so states can snapshot and requests find a replier:
 * a state's writer before its readers, a replier before its requesters, main-mode services
 * last; otherwise the order of the system file (a cycle is broken in that order too).
 */
export function startOrder(analysis: SystemAnalysis): string[] {
  const { names, main, before } = dependencies(analysis);
  const order: string[] = [];
  const pending = [...names.filter((name) => !main.has(name)), ...names.filter((name) => main.has(name))];
  while (pending.length > 0) {
    const ready = pending.find((name) =>
      [...before.get(name)!].every((first) => order.includes(first) || first === name || (main.has(first) && !main.has(name))),
    );
    const next = ready ?? pending[0]!;
    order.push(next);
    pending.splice(pending.indexOf(next), 1);
  }
  return order;
}

/**
 * What each service waits for before `sf up` starts it: the services of {@link startOrder} that
 * come before it and that it needs there (a state's writer for its readers, a replier for its
 * requesters), and, for a main-mode service, every serving one. Services that need nothing of each
 * other start together. A cycle is broken as in `startOrder`: only earlier services are waited for.
 */
export function startPrerequisites(analysis: SystemAnalysis): Map<string, string[]> {
  const { main, before } = dependencies(analysis);
  const order = startOrder(analysis);
  return new Map(
    order.map((name, index) => {
      const earlier = order.slice(0, index);
      const needs = main.has(name)
        ? earlier.filter((first) => !main.has(first) || before.get(name)!.has(first))
        : earlier.filter((first) => before.get(name)!.has(first) && !main.has(first));
      return [name, needs];
    }),
  );
}

/** Service names in file order, the main-mode ones, and what each must start after. */
function dependencies(analysis: SystemAnalysis): { names: string[]; main: Set<string>; before: Map<string, Set<string>> } {
  const names = analysis.services.map((service) => service.name);
  const main = new Set(analysis.services.filter((service) => service.main).map((service) => service.name));
  const before = new Map(names.map((name) => [name, new Set<string>()]));
  for (const { from, to } of analysis.wires) {
    if (from.kind === 'state') before.get(to.service)!.add(from.service);
    else if (from.definition?.replies) before.get(from.service)!.add(to.service);
  }
  return { names, main, before };
}
