/** Whether `value` is a promise or another thenable (what a handler, `receive` or `update` may return to finish later). */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null | undefined)?.then === 'function';
}
