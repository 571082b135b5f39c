/** What `startAll` starts: one process of a service. */
export interface Startable {
  /** The system's service name. */
  readonly service: string;
}

/**
 * Starts every slot with `start` (which resolves once that one is ready, has exited, or is late),
 * each after every slot of the services `prerequisites` names for its service has, with at most
 * `concurrency` starts under way at once. Slots whose prerequisites are met start in their order in
 * `slots`. Resolves once every start has resolved.
 */
export async function startAll<T extends Startable>(
  slots: readonly T[],
  prerequisites: ReadonlyMap<string, readonly string[]>,
  concurrency: number,
  start: (slot: T) => Promise<void>,
): Promise<void> {
  const take = permits(Math.max(1, concurrency));
  const done = new Map<T, Promise<void>>();
  const serviceDone = (service: string) => Promise.all(slots.filter((slot) => slot.service === service).map((slot) => done.get(slot)));
  for (const slot of slots) {
    const needs = prerequisites.get(slot.service) ?? [];
    done.set(
      slot,
      (async () => {
        await null; // every slot is listed before any waits on another
        await Promise.all(needs.map(serviceDone));
        const give = await take();
        try {
          await start(slot);
        } finally {
          give();
        }
      })(),
    );
  }
  await Promise.all(done.values());
}

/** A counting semaphore: `take()` resolves, in call order, to the function that gives the permit back. */
function permits(count: number): () => Promise<() => void> {
  let free = count;
  const waiting: (() => void)[] = [];
  const give = () => {
    const next = waiting.shift();
    if (next) next();
    else free += 1;
  };
  return async () => {
    if (free > 0) free -= 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    return give;
  };
}
