import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { readJsonFile } from './read-json-file.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sf-json-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(text: string): Promise<ConfigError> {
  const file = join(dir, `f${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, text);
  const error = await readJsonFile(file, 'config file').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('readJsonFile', () => {
  it('parses a JSON file, relative to cwd, ignoring a byte-order mark', async () => {
    await writeFile(join(dir, 'ok.json'), '\uFEFF{"a": [1, {"b": null}]}');
    expect(await readJsonFile('ok.json', 'config file', dir)).toEqual({ a: [1, { b: null }] });
  });

  it('reports a missing file with its absolute path, role and fix', async () => {
    const error = (await readJsonFile('nope.json', 'addresses file', dir).catch((e: unknown) => e)) as ConfigError;
    expect(error.code).toBe('SF_FILE_MISSING');
    expect(error.location.file).toBe(join(dir, 'nope.json'));
    expect(error.message).toBe(
      `The addresses file does not exist ('nope.json' resolved from ${dir}) (file ${join(dir, 'nope.json')}). ` +
        'Create it, or pass the path of an existing addresses file',
    );
  });

  it('reports a directory given as the file', async () => {
    await mkdir(join(dir, 'sub'));
    const error = (await readJsonFile(join(dir, 'sub'), 'config file').catch((e: unknown) => e)) as ConfigError;
    expect(error.code).toBe('SF_FILE_MISSING');
    expect(error.message).toContain('The config file is a directory, not a file');
  });

  it('gives line and column when V8 reports a position', async () => {
    const error = await failure('{\n  "a": 1,\n}\n');
    expect(error.code).toBe('SF_FILE_INVALID_JSON');
    expect(error.what).toBe('The config file is not valid JSON: Expected double-quoted property name');
    expect(error.location.file).toMatch(/\.json:3:1$/);
    expect(error.hint).toContain('trailing commas');
  });

  it('gives line and column when V8 reports none', async () => {
    // The misspelt literal: its first character.
    const error = await failure('{\n  "symbol": "BTC",\n  "size": tru\n}');
    expect(error.what).toBe("The config file is not valid JSON: Unexpected token '\\n'");
    expect(error.location.file).toMatch(/\.json:3:11$/);
    const wrongToken = await failure('{"a": }');
    expect(wrongToken.what).toBe("The config file is not valid JSON: Unexpected token '}'");
    expect(wrongToken.location.file).toMatch(/\.json:1:7$/);
  });

  it('points at the end of the content for a truncated file', async () => {
    const error = await failure('{\n  "a": [1, 2\n\n');
    expect(error.what).toContain('is not valid JSON');
    expect(error.location.file).toMatch(/\.json:2:13$/);
    expect((await failure('')).location.file).toMatch(/\.json:1:1$/);
  });
});

describe('error positions V8 does not report', () => {
  const at = async (text: string): Promise<string | undefined> => /:(\d+:\d+)$/.exec((await failure(text)).location.file ?? '')?.[1];

  it('points at the offending character or token', async () => {
    for (const text of ['x', '[1,]', '[1,2,,3]', '{"a": }']) expect(/at position/.test(catchMessage(text)), text).toBe(false);
    expect(await at('x')).toBe('1:1');
    expect(await at('[1,]')).toBe('1:4');
    expect(await at('[1,2,,3]')).toBe('1:6');
    expect(await at('{\n  "a": 1,\n  "b": [1,\n    ]\n}')).toBe('4:5');
  });

  it("takes V8's position where it reports one", async () => {
    for (const text of ['{"a" 1}', '{"a":1}}', '{,}']) {
      const v8 = /at position (\d+)/.exec(catchMessage(text));
      expect(v8, text).not.toBeNull();
      expect(await at(text), text).toBe(`1:${Number(v8![1]) + 1}`);
    }
  });
});

function catchMessage(text: string): string {
  try {
    JSON.parse(text);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}
