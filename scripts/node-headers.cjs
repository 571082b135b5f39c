// Where the running Node ships its own headers (`<prefix>/include/node`, as the Linux packages
// do), node-gyp can build a native module (better-sqlite3) without downloading them. Shared by
// `.pnpmfile.cjs` (pnpm installs) and the packed-install tests (npm installs).
const { existsSync, readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

/** The prefix holding headers of exactly the running Node version, if there is one. */
function localNodeDir() {
  const prefix = join(dirname(process.execPath), '..');
  const header = join(prefix, 'include', 'node', 'node_version.h');
  if (!existsSync(header)) return undefined;
  const text = readFileSync(header, 'utf8');
  const part = (name) => text.match(new RegExp(`#define NODE_${name}_VERSION (\\d+)`))?.[1];
  return `v${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}` === process.version ? prefix : undefined;
}

module.exports = { localNodeDir };
