import { afterEach, describe, expect, it } from 'vitest';
import { curveKeyPair } from 'zeromq';
import { inAddresses, message, openIn, openOut, outAddresses, runCleanups, until } from './endpoints.fixture.js';

afterEach(runCleanups);

const [server, reader, stranger] = [curveKeyPair(), curveKeyPair(), curveKeyPair()];
const pair = (keys: { publicKey: string; secretKey: string }) => ({ public_key: keys.publicKey, secret_key: keys.secretKey });

describe('delta state over CURVE', () => {
  it('an allowed reader gets the snapshot and the deltas; a reader with another key gets nothing, and the refusal is logged', async () => {
    const addresses = await outAddresses();
    const out = await openOut(addresses, { creation: { curve: { ...pair(server), allowed_client_keys: [reader.publicKey] } } });
    await out.endpoint.send?.(message({ state: { a: 1 }, is_snapshot: true }));
    const allowed = await openIn(inAddresses(addresses), { creation: { curve: { ...pair(reader), server_public_key: server.publicKey } } });
    const refused = await openIn(inAddresses(addresses), {
      creation: { curve: { ...pair(stranger), server_public_key: server.publicKey } },
    });
    await until(() => allowed.context.updates.length > 0);
    await out.endpoint.send?.(message({ state: { b: 2 } }));
    await until(() => allowed.context.updates.at(-1)?.value.b === 2);
    expect(allowed.context.updates.at(-1)?.value).toEqual({ a: 1, b: 2 });
    expect(refused.context.updates).toEqual([]);
    expect(out.context.logs.some((line) => line.level === 'warn' && String(line.msg).includes('not in the allowed client keys'))).toBe(
      true,
    );
  });
});
