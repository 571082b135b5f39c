import type { Endpoint, Plugin, TypeDefinition } from '../plugin/contract.js';
import { CORE_MAJOR } from './core-version.js';

/** A working in-memory endpoint for registry tests: records whether it is open. */
function memoryEndpoint(): Endpoint & { isOpen: boolean } {
  return {
    isOpen: false,
    async open() {
      this.isOpen = true;
    },
    async close() {
      this.isOpen = false;
    },
  };
}

/** A valid type definition for tests, with `overrides` applied. */
export function testType(overrides: Partial<TypeDefinition> = {}): TypeDefinition {
  return { side: 'out', kind: 'connection', peers: [], addresses: ['socket'], replies: false, create: memoryEndpoint, ...overrides };
}

/** A valid plugin for tests providing `types` (name → overrides). */
export function testPlugin(name: string, types: Record<string, Partial<TypeDefinition>>, coreMajor = CORE_MAJOR): Plugin {
  return { name, coreMajor, types: Object.fromEntries(Object.entries(types).map(([type, over]) => [type, testType(over)])) };
}
