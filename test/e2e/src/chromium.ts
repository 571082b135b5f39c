import { accessSync, constants } from 'node:fs';

/** Where Debian's chromium may be (`apt-get install -y chromium`); `SF_CHROMIUM` names another. */
const CANDIDATES = [process.env.SF_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The path of an installed chromium, or `undefined` when there is none. */
export const CHROMIUM: string | undefined = CANDIDATES.find((path): path is string => {
  if (path === undefined || path === '') return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
});
