/** `@sf/system`, loaded on first use by the system commands: `sf run` never needs it, and loading it is a good part of a start-up. */
export function systemModule(): Promise<typeof import('@sf/system')> {
  return import('@sf/system');
}
