import type { Endpoint } from '@sf/core/plugin';
import { freePort, outbound, sleep, testContext } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { curveKeyPair } from 'zeromq';
import { publisher } from './publisher.js';
import { subscriber } from './subscriber.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const [server, client, stranger] = [curveKeyPair(), curveKeyPair(), curveKeyPair()];
const pair = (keys: { publicKey: string; secretKey: string }) => ({ public_key: keys.publicKey, secret_key: keys.secretKey });

async function open(endpoint: Endpoint): Promise<Endpoint> {
  cleanups.push(() => endpoint.close());
  await endpoint.open();
  return endpoint;
}

describe('publish/subscribe over CURVE', () => {
  it('an allowed subscriber receives; one with another key receives nothing', async () => {
    const port = await freePort();
    const out = await open(
      await publisher.create(
        testContext({
          name: 'ticks',
          side: 'out',
          addresses: { publisher: `127.0.0.1:${port}` },
          creation: { wait_after_creation_s: 0, curve: { ...pair(server), allowed_client_keys: [client.publicKey] } },
        }),
      ),
    );
    const listen = async (keys: { publicKey: string; secretKey: string }) => {
      const received: string[] = [];
      const context = testContext({
        name: 'ticks',
        addresses: { subscriber: `127.0.0.1:${port}` },
        creation: { on_new_message: () => {}, curve: { ...pair(keys), server_public_key: server.publicKey } },
        receive: async (frame) => {
          received.push(Buffer.from(frame).toString());
          return undefined;
        },
      });
      await open(await subscriber.create(context));
      return received;
    };
    const allowed = await listen(client);
    const refused = await listen(stranger);
    await expect
      .poll(async () => {
        await out.send?.(outbound('tick'));
        return allowed.length;
      })
      .toBeGreaterThan(0);
    await sleep(200);
    expect(allowed[0]).toBe('tick');
    expect(refused).toEqual([]);
  });
});
