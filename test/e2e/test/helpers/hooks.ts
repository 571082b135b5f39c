import { afterAll, afterEach, expect } from 'vitest';
import { alivePids, killAll, TempFiles } from '../../src/index.js';

/**
 * Registers the hooks every e2e file needs: after each test every `sf run` process still running
 * is killed; after the file, no process may be left and the temp folder is removed.
 */
export function useE2eHooks(): TempFiles {
  const temp = new TempFiles();
  afterEach(killAll);
  afterAll(async () => {
    await killAll();
    expect(alivePids()).toEqual([]);
    await temp.remove();
  });
  return temp;
}

/** Non-empty lines of a process's stderr. */
export function stderrLines(lines: readonly string[]): string[] {
  return lines.filter((line) => line.trim() !== '');
}
