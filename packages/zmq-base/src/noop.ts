/** Does nothing: the handler of a promise whose outcome is dealt with elsewhere (or not at all). */
export function noop(): void {}
