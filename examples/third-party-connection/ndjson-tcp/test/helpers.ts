import { type TestContext, testContext } from '@sf/core/testing';

/** A hand-made EndpointContext (from `@sf/core/testing`) that also records the frames handed to `receive`. */
export interface HandContext extends TestContext {
  /** Every frame handed to `receive`, in order. */
  readonly frames: Uint8Array[];
}

/** A context for model `prices` on `side` with the given `listener` address and creation arguments. */
export function handContext(side: 'in' | 'out', listener: string | undefined, creation: Record<string, unknown> = {}): HandContext {
  const frames: Uint8Array[] = [];
  const context = testContext({
    name: 'prices',
    side,
    addresses: listener === undefined ? {} : { listener },
    creation,
    receive: async (frame) => {
      frames.push(frame);
      return undefined;
    },
  });
  return { ...context, frames };
}

/** Polls `check` every 10 ms until it is true; fails after `ms`. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
