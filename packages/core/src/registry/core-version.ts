// A named import lets the bundler inline only this field of package.json.
import { version } from '../../package.json';

/** Version of this `@sf/core`, read from its package.json at build time. */
export const CORE_VERSION: string = version;

/** Major version of this `@sf/core`; a plugin's `coreMajor` must equal it. */
export const CORE_MAJOR: number = Number.parseInt(version.split('.')[0]!, 10);
