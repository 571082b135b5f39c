import { createRegistry } from '@sf/core';
import { describe, expect, it } from 'vitest';
import { SOCKET_CREATION_ARGUMENTS } from '@sf/zmq-base';
import plugin, { deltaUpdateIn, deltaUpdateOut } from './index.js';

describe('@sf/state-delta plugin', () => {
  it('declares delta_update_out and delta_update_in as state peers with their sockets and arguments', () => {
    expect(plugin).toMatchObject({ name: '@sf/state-delta', coreMajor: 0 });
    expect(plugin.types.delta_update_out).toBe(deltaUpdateOut);
    expect(plugin.types.delta_update_in).toBe(deltaUpdateIn);
    expect(deltaUpdateOut).toMatchObject({
      side: 'out',
      kind: 'state',
      peers: ['delta_update_in'],
      addresses: ['publisher', 'replyer'],
      replies: false,
    });
    expect(deltaUpdateOut.sendModel).toEqual({ required: { state: Object }, optional: { is_snapshot: Boolean } });
    expect(deltaUpdateOut.creationArguments?.optional).toMatchObject({
      topic: String,
      wait_after_creation_s: Number,
      send_high_water_mark: Number,
      snapshot_high_water_mark: Number,
      ...SOCKET_CREATION_ARGUMENTS,
    });
    expect(deltaUpdateIn).toMatchObject({ side: 'in', kind: 'state', peers: ['delta_update_out'], addresses: ['subscriber', 'requester'] });
    expect(deltaUpdateIn).toMatchObject({ handler: 'on_update', replies: false });
    expect(deltaUpdateIn.creationArguments?.optional).toEqual({
      on_update: Function,
      topic: String,
      snapshot_timeout_ms: Number,
      tail_check_ms: Number,
      max_buffered_bytes: Number,
      ...SOCKET_CREATION_ARGUMENTS,
    });
  });

  it('registers in a core registry', () => {
    const registry = createRegistry();
    registry.register(plugin);
    expect(registry.resolve('delta_update_in', { kind: 'state' }).definition).toBe(deltaUpdateIn);
  });
});
