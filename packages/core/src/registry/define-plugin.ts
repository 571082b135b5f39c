import type { Plugin } from '../plugin/contract.js';
import { assertPluginShape } from './validate-plugin.js';

/**
 * Declares a plugin: checks its shape at once (so a malformed plugin fails when its package is
 * imported, naming the bad field) and returns it unchanged, with its literal types kept.
 */
export function definePlugin<const P extends Plugin>(plugin: P): P {
  assertPluginShape(plugin);
  return plugin;
}
