import { afterEach, describe, expect, it } from 'vitest';
import { curveKeyPair } from 'zeromq';
import { freePort } from '@sf/core/testing';
import { cleanUp, openIn, openOut, stateMessage, until, versions } from './state.fixture.js';

afterEach(cleanUp);

const [server, reader, stranger] = [curveKeyPair(), curveKeyPair(), curveKeyPair()];
const pair = (keys: { publicKey: string; secretKey: string }) => ({ public_key: keys.publicKey, secret_key: keys.secretKey });

describe('full state over CURVE', () => {
  it('an allowed reader gets the snapshot and the publications; a reader with another key gets nothing', async () => {
    const out = { publisher: `127.0.0.1:${await freePort()}`, replyer: `127.0.0.1:${await freePort()}` };
    const writer = await openOut(out, { curve: { ...pair(server), allowed_client_keys: [reader.publicKey] } });
    await writer.endpoint.send?.(stateMessage({ version: 1 }));
    const addresses = { subscriber: out.publisher, requester: out.replyer };
    const allowed = await openIn(addresses, { snapshot_timeout_ms: 500, curve: { ...pair(reader), server_public_key: server.publicKey } });
    const refused = await openIn(addresses, {
      snapshot_timeout_ms: 300,
      curve: { ...pair(stranger), server_public_key: server.publicKey },
    });
    expect(versions(allowed.context)).toEqual([1]);
    await until(() => {
      void writer.endpoint.send?.(stateMessage({ version: 2 }));
      return versions(allowed.context).includes(2);
    });
    expect(refused.context.updates).toEqual([]);
    expect(writer.context.logs.some((line) => line.level === 'warn' && String(line.msg).includes('not in the allowed client keys'))).toBe(
      true,
    );
  });
});
