import { describe, expect, it } from 'vitest';
import { SOCKET_CREATION_ARGUMENTS } from '@sf/zmq-base';
import plugin from './index.js';

describe('@sf/conn-zmq-reqrep plugin', () => {
  it('declares replyer (in) and requester (out) as peers of each other', () => {
    expect(plugin.name).toBe('@sf/conn-zmq-reqrep');
    const { replyer, requester } = plugin.types;
    expect(replyer).toMatchObject({ side: 'in', kind: 'connection', peers: ['requester'], addresses: ['replyer'] });
    expect(replyer).toMatchObject({ handler: 'on_new_request', replies: true });
    expect(replyer.creationArguments?.required).toEqual({ on_new_request: Function });
    expect(replyer.creationArguments?.optional).toEqual({ concurrency: Number, ...SOCKET_CREATION_ARGUMENTS });
    expect(requester.creationArguments?.optional).toMatchObject(SOCKET_CREATION_ARGUMENTS);
    expect(requester).toMatchObject({ side: 'out', kind: 'connection', peers: ['replyer'], addresses: ['requester'] });
    expect(requester).toMatchObject({ replies: true });
    expect(requester.creationArguments?.optional).toMatchObject({
      timeout_ms: Number,
      retries: Number,
      retry_backoff_ms: Number,
      idempotent: Boolean,
      concurrency: Number,
    });
  });
});
