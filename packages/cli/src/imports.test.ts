import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

describe('module structure', () => {
  it('no command imports program.ts (which imports every command): shared types live in types.ts', async () => {
    const folder = new URL('./commands/', import.meta.url);
    const files = (await readdir(folder)).filter((name) => name.endsWith('.ts'));
    const importing: string[] = [];
    for (const name of files) {
      if (/from '\.\.\/program\.js'/.test(await readFile(new URL(name, folder), 'utf8')) && !name.endsWith('.test.ts'))
        importing.push(name);
    }
    expect(files.length).toBeGreaterThan(5);
    expect(importing).toEqual([]);
  });
});
