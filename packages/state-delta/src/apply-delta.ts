/** A replicated state value: key → value. */
export type StateValue = Record<string, unknown>;

/**
 * A new object holding `base` with the delta applied: each key of `delta` is set, and a key whose
 * value is `null` is deleted. Neither `base` nor `delta` is changed (copy-on-write), so a value
 * already handed out stays as it was.
 */
export function applyDelta(base: Readonly<StateValue>, delta: Readonly<StateValue>): StateValue {
  const next: StateValue = { ...base };
  applyDeltaInPlace(next, delta);
  return next;
}

/** Applies `delta` to `target` itself: sets its keys, deletes those whose value is `null`. */
export function applyDeltaInPlace(target: StateValue, delta: Readonly<StateValue>): void {
  for (const key of Object.keys(delta)) {
    const value = delta[key];
    if (value === null) delete target[key];
    else setKey(target, key, value);
  }
}

/** A shallow copy of `value` as an own-keys object (a snapshot replaces the whole state). */
export function copyState(value: Readonly<StateValue>): StateValue {
  const copy: StateValue = {};
  for (const key of Object.keys(value)) setKey(copy, key, value[key]);
  return copy;
}

/** Sets `target[key]`; an own key named `__proto__` (JSON.parse can make one) stays a key, not the prototype. */
function setKey(target: StateValue, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
