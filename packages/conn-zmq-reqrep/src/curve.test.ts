import type { Endpoint } from '@sf/core/plugin';
import { freePort, outbound, testContext } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { curveKeyPair } from 'zeromq';
import { replyer } from './replyer.js';
import { requester } from './requester.js';

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

describe('request/reply over CURVE', () => {
  it('answers an allowed requester; another key times out, and the replyer logs the refusal', async () => {
    const port = await freePort();
    const replyerContext = testContext({
      name: 'quote',
      addresses: { replyer: `127.0.0.1:${port}` },
      creation: { on_new_request: () => ({}), curve: { ...pair(server), allowed_client_keys: [client.publicKey] } },
      receive: async (frame) => Buffer.concat([Buffer.from('echo '), frame]),
    });
    await open(await replyer.create(replyerContext));
    const ask = async (keys: { publicKey: string; secretKey: string }) =>
      open(
        await requester.create(
          testContext({
            name: 'quote',
            side: 'out',
            addresses: { requester: `127.0.0.1:${port}` },
            creation: { timeout_ms: 700, curve: { ...pair(keys), server_public_key: server.publicKey } },
          }),
        ),
      );
    const allowed = await ask(client);
    expect(Buffer.from((await allowed.send?.(outbound('hi'))) as Uint8Array).toString()).toBe('echo hi');
    const refused = await ask(stranger);
    await expect(refused.send?.(outbound('hi'))).rejects.toMatchObject({ code: 'SF_REQUEST_TIMEOUT' });
    expect(replyerContext.logs.some((line) => line.level === 'warn' && String(line.msg).includes('not in the allowed client keys'))).toBe(
      true,
    );
  });
});
