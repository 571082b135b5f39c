// A native dependency (better-sqlite3, the optional store of @sf/state-delta and @sf/state-full)
// first tries to download a prebuilt binary and otherwise compiles with node-gyp, which downloads
// Node's headers. Where the running Node ships its own headers (`<prefix>/include/node`, as the
// Linux packages do), point node-gyp at them, so a machine that reaches only the npm registry
// still installs. An `npm_config_nodedir` already set wins.
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

module.exports = {
  hooks: {
    updateConfig(config) {
      const nodedir = localNodeDir();
      if (nodedir === undefined || process.env.npm_config_nodedir) return config;
      return { ...config, extraEnv: { ...config.extraEnv, npm_config_nodedir: nodedir } };
    },
  },
};
