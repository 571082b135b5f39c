// A native dependency (better-sqlite3, the optional store of @sf/state-delta and @sf/state-full)
// first tries to download a prebuilt binary and otherwise compiles with node-gyp, which downloads
// Node's headers. Where the running Node ships its own headers, point node-gyp at them, so a
// machine that reaches only the npm registry still installs. An `npm_config_nodedir` already set wins.
const { localNodeDir } = require('./scripts/node-headers.cjs');

module.exports = {
  hooks: {
    updateConfig(config) {
      const nodedir = localNodeDir();
      if (nodedir === undefined || process.env.npm_config_nodedir) return config;
      return { ...config, extraEnv: { ...config.extraEnv, npm_config_nodedir: nodedir } };
    },
  },
};
