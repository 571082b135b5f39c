import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedModel } from '../models/resolved-model.js';
import { Decimal } from '../types/decimal.js';
import { optional, secret } from '../types/helpers.js';
import { createLogger } from './logger.js';
import { loggableValues, REDACTED, redactionPaths, secretKeyPaths } from './redaction.js';

const folders: string[] = [];
afterEach(async () => {
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

const CREDENTIALS = { optional: { curve: { secret_key: optional(secret(String)), key_file: optional(String) }, topic: String } };

function modelOf(creationArguments: unknown): ResolvedModel {
  return { definition: { creationArguments } } as unknown as ResolvedModel;
}

describe('secretKeyPaths', () => {
  it('finds keys marked secret(T) at any depth, inside optional(), nested models and lists', () => {
    const model = {
      required: { api_token: secret(String), plain: String },
      optional: { db: { password: optional(secret(String)), host: String }, keys: [{ value: secret(String) }], 'odd-key': secret(Number) },
    };
    expect(secretKeyPaths(model)).toEqual(['.api_token', '.db.password', '.keys[*].value', '["odd-key"]']);
    expect(secretKeyPaths(undefined)).toEqual([]);
    expect(secretKeyPaths({ optional: { topic: String } })).toEqual([]);
  });

  it('redactionPaths adds config keys named like secrets and the secret creation arguments of every model type', () => {
    const paths = redactionPaths({ my_password: 'x', region: 'eu', API_TOKEN: 'y' }, { required: { region: String } }, [
      modelOf(CREDENTIALS),
    ]);
    expect(paths.sort()).toEqual(['config.API_TOKEN', 'config.my_password', 'creation.curve.secret_key'].sort());
  });
});

describe('loggableValues', () => {
  it('keeps data, shows values with a text form, and names functions, bytes and other instances', () => {
    class Client {}
    const shown = loggableValues({
      n: 1,
      d: new Decimal('1.5'),
      f: function handler() {},
      c: new Client(),
      b: new Uint8Array(3),
      nested: { list: [1, () => 0] },
    });
    expect(JSON.parse(JSON.stringify(shown))).toEqual({
      n: 1,
      d: '1.5',
      f: '[function handler]',
      c: '[Client]',
      b: '[3 bytes]',
      nested: { list: [1, '[function anonymous]'] },
    });
  });
});

describe('the logger with redact paths', () => {
  it('writes [redacted] for secret config keys and creation arguments in the log file, and keeps the rest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sf-redact-'));
    folders.push(dir);
    const paths = redactionPaths(
      { api_token: 'TOKEN-1234567890' },
      { required: { api_token: secret(String) }, optional: { db: { password: optional(secret(String)) } } },
      [modelOf(CREDENTIALS)],
    );
    const logger = await createLogger('svc', { consoleLevel: 'fatal', folder: dir, fileLevel: 'debug' }, paths);
    logger.debug({ config: { api_token: 'TOKEN-1234567890', db: { password: 'PASSWORD-0987', host: 'db.local' } } }, 'config');
    logger
      .child({ model: 'connection_models.in.x' })
      .debug({ creation: { topic: 'prices', curve: { secret_key: 'SECRET-KEY-ABCDEFG', key_file: 'k.key' } } }, 'opened');
    logger.flush();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const [file] = await readdir(dir);
    const text = await readFile(join(dir, file ?? ''), 'utf8');
    for (const value of ['TOKEN-1234567890', 'PASSWORD-0987', 'SECRET-KEY-ABCDEFG']) expect(text).not.toContain(value);
    const [config, opened] = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(config.config).toEqual({ api_token: REDACTED, db: { password: REDACTED, host: 'db.local' } });
    expect(opened.creation).toEqual({ topic: 'prices', curve: { secret_key: REDACTED, key_file: 'k.key' } });
  });
});
