/**
 * Failures inside a value walk. The walk throws a `WireFault` where it fails and each enclosing
 * container adds its key while the fault unwinds, so the happy path never builds a path.
 */

/** A failure at some depth of a value; its path is collected while unwinding. */
export class WireFault extends Error {
  /** Keys and indexes from the failing value outwards (innermost first). */
  readonly segments: (string | number)[] = [];
  /** How to fix it. */
  readonly hint: string | undefined;

  constructor(what: string, hint?: string) {
    super(what);
    this.name = 'WireFault';
    this.hint = hint;
  }
}

/** Adds `segment` to a fault passing through a container; other errors pass unchanged. */
export function throughSegment(error: unknown, segment: string | number): unknown {
  if (error instanceof WireFault) error.segments.push(segment);
  return error;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Renders `root` plus the collected segments, e.g. `args.order.price` or `args.items[2]`. */
export function formatPath(root: string, segments: readonly (string | number)[]): string {
  let path = root;
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i]!;
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) path += path === '' ? segment : `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}
