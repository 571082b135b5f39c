import { createRegistry } from '@sf/core';
import { describe, expect, it } from 'vitest';
import { SOCKET_CREATION_ARGUMENTS } from '@sf/zmq-base';
import plugin from './index.js';

describe('@sf/state-full plugin', () => {
  it('declares full_update_out and full_update_in as state peers of each other', () => {
    expect(plugin.name).toBe('@sf/state-full');
    expect(plugin.coreMajor).toBe(0);
    const { full_update_out: out, full_update_in: inside } = plugin.types;
    expect(out).toMatchObject({
      side: 'out',
      kind: 'state',
      peers: ['full_update_in'],
      addresses: ['publisher'],
      optionalAddresses: ['replyer'],
      replies: false,
    });
    expect(out.creationArguments?.optional).toMatchObject({ topic: String, wait_after_creation_s: Number, ...SOCKET_CREATION_ARGUMENTS });
    expect(inside).toMatchObject({
      side: 'in',
      kind: 'state',
      peers: ['full_update_out'],
      addresses: ['subscriber'],
      optionalAddresses: ['requester'],
    });
    expect(inside).toMatchObject({ handler: 'on_update', replies: false });
    expect(inside.creationArguments?.optional).toEqual({
      on_update: Function,
      topic: String,
      snapshot_timeout_ms: Number,
      ...SOCKET_CREATION_ARGUMENTS,
    });
  });

  it('registers with core', () => {
    const registry = createRegistry();
    registry.register(plugin);
    expect(registry.resolve('full_update_in', { kind: 'state' }).plugin.name).toBe('@sf/state-full');
  });
});
