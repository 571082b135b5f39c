import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Decimal, startService } from '@sf/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ndjsonTcpPlugin from '../src/index.js';
import { freePort } from '@sf/core/testing';
import { waitFor } from './helpers.js';

/** URL of the @sf/core entry this package resolves, so service files in a temp dir can import it. */
const CORE_URL = (() => {
  const manifest = createRequire(import.meta.url).resolve('@sf/core/package.json');
  const entry = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: { '.': { import: string } } }).exports['.'].import;
  return pathToFileURL(join(dirname(manifest), entry)).href;
})();

const RECEIVER = `import { Decimal } from '${CORE_URL}';
export const received = [];
export const connection_models = {
  in: {
    prices: {
      connection_type: 'ndjson_in',
      required_creation_arguments: { on_new_message: (args) => { received.push(args); } },
      required_arguments: { symbol: String, price: Decimal },
    },
  },
};
`;

// Two out models on one listener: 'prices' agrees with the receiver, 'prices_loose' lets a
// string price through, as a peer built from an outdated model would.
const SENDER = `import { Decimal } from '${CORE_URL}';
export const connection_models = {
  out: {
    prices: { connection_type: 'ndjson_out', required_arguments: { symbol: String, price: Decimal } },
    prices_loose: { connection_type: 'ndjson_out', required_arguments: { symbol: String, price: String } },
  },
};
export async function main(to_send) {
  await to_send('connection', 'prices', { symbol: 'BTC', price: new Decimal('0.1') });
  await to_send('connection', 'prices_loose', { symbol: 'ETH', price: 'cheap' });
  await to_send('connection', 'prices', { symbol: 'SOL', price: new Decimal('0.2') });
}
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sf-ndjson-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  await writeFile(join(dir, name), text);
  return join(dir, name);
}

/** Every JSON line pino-roll wrote under `folder`. */
async function logLines(folder: string): Promise<Record<string, unknown>[]> {
  const files = await readdir(folder).catch(() => [] as string[]);
  const texts = await Promise.all(files.map((file) => readFile(join(folder, file), 'utf8')));
  return texts.flatMap((text) => text.split('\n').filter((line) => line !== '')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('sf-conn-ndjson-tcp through the runner', () => {
  it('delivers validated args (Decimal intact) and rejects a message with bad args, logged and not delivered', async () => {
    const port = await freePort();
    const listener = `127.0.0.1:${port}`;
    const addresses = await write(
      'addresses.json',
      JSON.stringify({ connections: { in: { prices: { listener } }, out: { prices: { listener }, prices_loose: { listener } } } }),
    );
    const receiverFile = await write('receiver.mjs', RECEIVER);
    const senderFile = await write('sender.mjs', SENDER);
    const logs = join(dir, 'logs');
    const common = { addresses, plugins: [ndjsonTcpPlugin], discover: false, handleSignals: false } as const;

    const receiver = await startService({
      ...common,
      service: receiverFile,
      logging: { consoleLevel: 'fatal', folder: logs, fileLevel: 'warn' },
    });
    try {
      const sender = await startService({ ...common, service: senderFile, mainMode: true, logging: { consoleLevel: 'fatal' } });
      expect(await sender.done).toBe(0);

      const { received } = (await import(pathToFileURL(receiverFile).href)) as { received: { symbol: string; price: Decimal }[] };
      await waitFor(() => received.length === 2);
      const bySymbol = Object.fromEntries(received.map((args) => [args.symbol, args.price]));
      expect(Object.keys(bySymbol).sort()).toEqual(['BTC', 'SOL']);
      expect(Decimal.isDecimal(bySymbol.BTC)).toBe(true);
      expect(bySymbol.BTC!.plus(bySymbol.SOL!).toString()).toBe('0.3');

      // The bad message travels on its own connection, so it may arrive after the good ones.
      await waitFor(async () => (await logLines(logs)).some((line) => line.msg === 'rejected a message with bad arguments'));
    } finally {
      expect(await receiver.stop()).toBe(0);
    }

    const rejected = (await logLines(logs)).filter((line) => line.msg === 'rejected a message with bad arguments');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({
      level: 40,
      service: 'receiver',
      from: 'connection_models.in.prices',
      error: { type: 'ValidationError' },
    });
    const message = (rejected[0]!.error as { message: string }).message;
    expect(message).toContain("expected Decimal, received string 'cheap'");
    expect(message).toContain('argument args.price');
  });
});
