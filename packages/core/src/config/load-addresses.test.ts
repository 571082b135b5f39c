import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { checkAddresses, emptyAddresses, loadAddresses } from './load-addresses.js';

let dir: string;
const fromFile = {
  connections: { in: { echo: { replyer: '127.0.0.1:8001' } } },
  states: { out: { book: { publisher: '127.0.0.1:9001', replyer: 'ipc:///tmp/book.sock' } } },
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sf-addresses-'));
  await writeFile(join(dir, 'addresses.json'), JSON.stringify(fromFile));
  await writeFile(join(dir, 'bad.json'), JSON.stringify({ connections: { in: { echo: { replyer: 8001 } } } }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(run: Promise<unknown>): Promise<ConfigError> {
  const error = await run.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).code).toBe('SF_ADDRESSES_INVALID');
  return error as ConfigError;
}

describe('loadAddresses', () => {
  it('reads the file and fills in missing sections', async () => {
    expect(await loadAddresses({ file: 'addresses.json', cwd: dir, config: {} })).toEqual({
      connections: { in: { echo: { replyer: '127.0.0.1:8001' } }, out: {} },
      states: { in: {}, out: { book: { publisher: '127.0.0.1:9001', replyer: 'ipc:///tmp/book.sock' } } },
    });
  });

  it('is empty without a file', async () => {
    expect(await loadAddresses({ config: {} })).toEqual(emptyAddresses());
  });

  it('hands the addresses and config to setup_addresses and uses its result', async () => {
    const addresses = await loadAddresses({
      file: 'addresses.json',
      cwd: dir,
      config: { port: '7000' },
      setup_addresses: async (current, config) => ({
        ...current,
        connections: { ...current.connections, out: { orders: { requester: `localhost:${config.port}` } } },
      }),
    });
    expect(addresses.connections.out).toEqual({ orders: { requester: 'localhost:7000' } });
    expect(addresses.connections.in.echo).toEqual({ replyer: '127.0.0.1:8001' });
  });

  it('keeps in-place changes when setup_addresses returns nothing', async () => {
    const addresses = await loadAddresses({
      config: {},
      setup_addresses: (current) => {
        current.states.in.book = { subscriber: '10.0.0.1:9001' };
      },
    });
    expect(addresses.states.in).toEqual({ book: { subscriber: '10.0.0.1:9001' } });
  });

  it('takes a list of addresses for one socket (one per replica) and names the bad one by index', () => {
    const listed = checkAddresses({ connections: { out: { ask: { requester: ['127.0.0.1:8001', 'tcp://10.0.0.2:8001'] } } } }, 'The file');
    expect(listed.connections.out.ask).toEqual({ requester: ['127.0.0.1:8001', 'tcp://10.0.0.2:8001'] });
    expect(() => checkAddresses({ connections: { out: { ask: { requester: ['127.0.0.1:8001', 'nope'] } } } }, 'The file')).toThrow(
      /The file at connections\.out\.ask\.requester\[1\] is 'nope', which is not an address/,
    );
    expect(() => checkAddresses({ connections: { out: { ask: { requester: [] } } } }, 'The file')).toThrow(/is an empty list/);
  });

  it('names the path inside the file of a bad value', async () => {
    const error = await failure(loadAddresses({ file: 'bad.json', cwd: dir, config: {} }));
    expect(error.message).toBe(
      `The addresses file at connections.in.echo.replyer is the number 8001; ` +
        `expected an address string or a list of them (file ${join(dir, 'bad.json')}). ` +
        "Write host:port, e.g. '127.0.0.1:5555'",
    );
  });

  it('checks what setup_addresses returns', async () => {
    const error = await failure(
      loadAddresses({ config: {}, service: 'svc.ts', setup_addresses: () => ({ states: { in: { book: { subscriber: 'nowhere' } } } }) }),
    );
    expect(error.message).toContain("What setup_addresses returned at states.in.book.subscriber is 'nowhere', which is not an address");
    expect(error.location.service).toBe('svc.ts');
  });

  it('wraps a throwing setup_addresses', async () => {
    const error = await failure(
      loadAddresses({
        config: {},
        setup_addresses: () => {
          throw new Error('dns down');
        },
      }),
    );
    expect(error.message).toContain('setup_addresses threw: dns down');
  });

  it('reports a missing addresses file', async () => {
    const error = (await loadAddresses({ file: 'gone.json', cwd: dir, config: {} }).catch((e: unknown) => e)) as ConfigError;
    expect(error.code).toBe('SF_FILE_MISSING');
    expect(error.message).toContain('The addresses file does not exist');
  });
});

describe('checkAddresses', () => {
  const check = (value: unknown) => () => checkAddresses(value, 'The addresses file');

  it('rejects unknown keys with a suggestion', () => {
    expect(check({ connection: {} })).toThrow(
      "The addresses file at connection is not a known key (did you mean 'connections'?); expected connections or states",
    );
    expect(check({ states: { inn: {} } })).toThrow("at states.inn is not a known key (did you mean 'in'?); expected in or out");
  });

  it('rejects wrong shapes at each level', () => {
    expect(check([])).toThrow('The addresses file itself is an array of 0; expected an object');
    expect(check({ connections: 'x' })).toThrow('at connections is the string "x"; expected an object');
    expect(check({ connections: { out: { orders: '127.0.0.1:1' } } })).toThrow(
      'at connections.out.orders is the string "127.0.0.1:1"; expected an object of socket name → address',
    );
  });
});
