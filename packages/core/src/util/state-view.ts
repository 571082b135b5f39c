import { inspect } from 'node:util';

/** What a state view reads from: a read-only key → value map, e.g. a persistent map with structural sharing. */
export interface KeySource {
  get(key: string): unknown;
  has(key: string): boolean;
  keys(): Iterable<string>;
  readonly size: number;
}

/** Where a view's target keeps its source and, once built, its plain-object copy (module-private keys). */
const SOURCE = Symbol('state view source');
const PLAIN = Symbol('state view plain copy');
/** Returns the object it is given, so that a subclass's constructor adds its private fields to that object. */
class Given {
  constructor(object: object) {
    // biome-ignore lint/correctness/noConstructorReturn: the point: fields go on the object given
    return object;
  }
}

/**
 * Stamps a view (the Proxy itself) with its target in a private field: how {@link plainOf} tells a
 * view from any other object without reading from it (a private field never goes through a Proxy's
 * traps). Costs a fraction of a WeakMap entry per view, and nothing for the collector to track.
 */
class ViewStamp extends Given {
  readonly #target: ViewTarget;

  constructor(view: object, target: ViewTarget) {
    super(view);
    this.#target = target;
  }

  /** The target `value` was stamped with, or `undefined` when it is not a view. */
  static targetOf(value: object): ViewTarget | undefined {
    return #target in value ? (value as ViewStamp).#target : undefined;
  }
}

interface ViewTarget {
  [SOURCE]: KeySource;
  [PLAIN]?: Record<string, unknown>;
}

const REFUSE = (): boolean => false;

/** The targets' prototype: Node's inspect shows a Proxy's target without its traps, so the target shows the state. */
const TARGET_PROTO = Object.create(Object.prototype, {
  [inspect.custom]: {
    value(this: object, _depth: number, options: object) {
      return inspect(plainOf(this), options);
    },
  },
});

/** One handler for every view: the traps read the view's source from its target. */
const HANDLER: ProxyHandler<ViewTarget> = {
  get: (base, key, receiver) => {
    if (typeof key === 'string') {
      const source = base[SOURCE];
      const value = source.get(key);
      if (value !== undefined || source.has(key)) return value;
    }
    return Reflect.get(base, key, receiver);
  },
  has: (base, key) => (typeof key === 'string' && base[SOURCE].has(key)) || Reflect.has(base, key),
  ownKeys: (base) => ownKeyOrder(Array.from(base[SOURCE].keys())),
  getOwnPropertyDescriptor: (base, key) => {
    const source = base[SOURCE];
    return typeof key === 'string' && source.has(key)
      ? { value: source.get(key), writable: false, enumerable: true, configurable: true }
      : undefined;
  },
  getPrototypeOf: () => Object.prototype,
  set: REFUSE,
  defineProperty: REFUSE,
  deleteProperty: REFUSE,
  setPrototypeOf: REFUSE,
  preventExtensions: REFUSE,
};

/**
 * A read-only object view of `source`: reads like a plain object (`view[key]`, `in`,
 * `Object.keys`, spreading, `JSON.stringify`), and cannot be changed (assignment, `delete` and
 * `defineProperty` throw in strict code). It is a Proxy, so `Object.isFrozen` says false and
 * `Object.freeze` throws. `source` must never change afterwards. Its cost does not depend on the
 * size of `source` until keys are listed (one small object and a Proxy per view, traps shared); the
 * codec and the checks take it as {@link plainOf}.
 */
export function stateView(source: KeySource): Readonly<Record<string, unknown>> {
  const target: ViewTarget = Object.create(TARGET_PROTO);
  target[SOURCE] = source;
  const view = new Proxy(target, HANDLER) as unknown as Readonly<Record<string, unknown>>;
  new ViewStamp(view, target);
  return view;
}

/**
 * Most keys a state value may have to be handed out by {@link readOnlyState} as a frozen plain copy
 * (made per update); a larger one is handed out as a {@link stateView}.
 */
export const STATE_PLAIN_MAX = 64;

/**
 * A state value as an in-state hands it to the runner (`states[name]`, `on_update`): up to
 * {@link STATE_PLAIN_MAX} keys a frozen plain copy (reads cost less than through a view, and the
 * copy is small); past it a {@link stateView}, whose cost does not depend on the size of `source`.
 * Either reads like a plain object and never changes. `source` must never change afterwards.
 */
export function readOnlyState(source: KeySource): Readonly<Record<string, unknown>> {
  return source.size <= STATE_PLAIN_MAX ? Object.freeze(toPlain(source)) : stateView(source);
}

/** The plain-object copy of a {@link stateView} (built once per view), or `undefined` for any other value. */
export function plainOf(value: object): Record<string, unknown> | undefined {
  const target = ViewStamp.targetOf(value);
  if (target === undefined) return undefined;
  target[PLAIN] ??= toPlain(target[SOURCE]);
  return target[PLAIN];
}

/** Whether `value` is a {@link stateView}. */
export function isStateView(value: unknown): boolean {
  return typeof value === 'object' && value !== null && ViewStamp.targetOf(value) !== undefined;
}

/** Keys in a plain object's order: array indices first, ascending, then the others as given (insertion order). */
function ownKeyOrder(keys: string[]): string[] {
  const indices = keys.filter(isIndex);
  if (indices.length === 0) return keys;
  indices.sort((a, b) => Number(a) - Number(b));
  for (const key of keys) if (!isIndex(key)) indices.push(key);
  return indices;
}

/** Whether `key` is an array index (a canonical integer below 2³² − 1), which a plain object lists first. */
function isIndex(key: string): boolean {
  const code = key.charCodeAt(0);
  if (code < 48 || code > 57 || (code === 48 && key.length > 1) || key.length > 10) return false;
  const n = Number(key);
  return Number.isInteger(n) && n < 4294967295 && String(n) === key;
}

function toPlain(source: KeySource): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of source.keys()) {
    // An own key named `__proto__` must stay a key, not replace the prototype.
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: source.get(key), enumerable: true, writable: true, configurable: true });
    else out[key] = source.get(key);
  }
  return out;
}
