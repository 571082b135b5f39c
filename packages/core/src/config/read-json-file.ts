import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { ParseError } from 'jsonc-parser';
import { ConfigError } from '../errors.js';

/**
 * Reads and parses a JSON file. `what` names the file's role in messages ('config file',
 * 'addresses file'); a relative `path` is resolved from `cwd`. A missing or unreadable file is
 * `SF_FILE_MISSING`; bad JSON is `SF_FILE_INVALID_JSON` with `path:line:column`.
 */
export async function readJsonFile(path: string, what: string, cwd: string = process.cwd()): Promise<unknown> {
  const file = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw unreadable(file, what, path, cwd, error);
  }
  return parseJsonText(text, file, what);
}

/** Parses JSON text read from `file`; on a syntax error throws `SF_FILE_INVALID_JSON` with `file:line:column`. */
export function parseJsonText(text: string, file: string, what: string): unknown {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const reported = /at position (\d+)/.exec(message);
    const offset = reported ? Number(reported[1]) : firstErrorOffset(body);
    // An error at the very end (V8 reports the text's length) is shown just after the last content.
    const { line, column } = lineAndColumn(body, Math.min(Math.max(offset, 0), body.trimEnd().length));
    throw new ConfigError('SF_FILE_INVALID_JSON', `The ${what} is not valid JSON: ${reason(message)}`, {
      file: `${file}:${line}:${column}`,
      hint: 'Fix the JSON at that line and column (JSON has no comments, trailing commas or single-quoted strings)',
      cause: error,
    });
  }
}

/**
 * Where the first syntax error of `text` is, found by jsonc-parser's scanner in strict JSON mode
 * (V8's `JSON.parse` gives no position for some mistakes, e.g. "Unexpected token"). Loaded (CommonJS,
 * synchronously) only here, on a bad file: every start-up reads JSON files, few read a bad one.
 */
function firstErrorOffset(text: string): number {
  const { parse } = createRequire(import.meta.url)('jsonc-parser') as typeof import('jsonc-parser');
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  return errors[0]?.offset ?? text.length;
}

/** 1-based line and column of `offset` in `text`. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/** V8's message without the quoted source excerpt and position (we give line and column instead). */
function reason(message: string): string {
  return message
    .replace(/, (\.\.\.)?".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/'(.)'/s, (quoted, char: string) => (char < ' ' ? `'${JSON.stringify(char).slice(1, -1)}'` : quoted))
    .trim();
}

function unreadable(file: string, what: string, given: string, cwd: string, error: unknown): ConfigError {
  const code = (error as NodeJS.ErrnoException).code;
  const relative = given !== file ? ` ('${given}' resolved from ${cwd})` : '';
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new ConfigError('SF_FILE_MISSING', `The ${what} does not exist${relative}`, {
      file,
      hint: `Create it, or pass the path of an existing ${what}`,
      cause: error,
    });
  }
  if (code === 'EISDIR') {
    return new ConfigError('SF_FILE_MISSING', `The ${what} is a directory, not a file${relative}`, {
      file,
      hint: `Pass the path of the JSON file itself`,
      cause: error,
    });
  }
  return new ConfigError('SF_FILE_MISSING', `The ${what} cannot be read: ${(error as Error).message}`, {
    file,
    hint: 'Check the file permissions',
    cause: error,
  });
}
