import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packageEntry } from './package-entry.js';

const url = (file: string) => pathToFileURL(`/p/${file}`).href;

describe('packageEntry', () => {
  it('reads the import target of the plain exports forms and main, as Node would', () => {
    expect(packageEntry('/p', { exports: { '.': { types: './x.d.ts', import: './dist/index.js' } } })).toBe(url('dist/index.js'));
    expect(packageEntry('/p', { exports: './dist/index.js' })).toBe(url('dist/index.js'));
    expect(packageEntry('/p', { exports: { node: { import: './n.mjs' }, default: './d.js' } })).toBe(url('n.mjs'));
    // The first matching condition in written order wins, not a preferred one.
    expect(packageEntry('/p', { exports: { default: './d.js', import: './i.js' } })).toBe(url('d.js'));
    expect(packageEntry('/p', { main: 'lib/main.cjs' })).toBe(url('lib/main.cjs'));
  });

  it('leaves what it does not read to the full resolver', () => {
    expect(packageEntry('/p', { exports: { '.': { require: './r.cjs' } } })).toBeUndefined();
    expect(packageEntry('/p', { exports: ['./a.js'] })).toBeUndefined();
    expect(packageEntry('/p', { main: 'lib/main' })).toBeUndefined();
    expect(packageEntry('/p', {})).toBeUndefined();
  });
});
