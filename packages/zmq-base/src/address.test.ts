import { testContext } from '@sf/core/testing';
import { describe, expect, it } from 'vitest';
import { addressPath, hasAddress, socketAddress } from './address.js';

describe('socketAddress', () => {
  it('names connection sockets under connections.<side>.<name>', () => {
    const context = testContext({ name: 'get_price', addresses: { replyer: '127.0.0.1:5555' } });
    expect(socketAddress(context, 'replyer', 'bind')).toEqual({
      path: 'connections.in.get_price.replyer',
      endpoint: 'tcp://127.0.0.1:5555',
      endpoints: ['tcp://127.0.0.1:5555'],
    });
    expect(socketAddress(context, 'replyer', 'connect').endpoint).toBe('tcp://127.0.0.1:5555');
  });

  it('gives a connecting socket every listed address, and refuses a list for a binding socket', () => {
    const context = testContext({ name: 'ask', side: 'out', addresses: { requester: ['127.0.0.1:5555', '127.0.0.2:5556'] } });
    expect(socketAddress(context, 'requester', 'connect')).toEqual({
      path: 'connections.out.ask.requester',
      endpoint: 'tcp://127.0.0.1:5555',
      endpoints: ['tcp://127.0.0.1:5555', 'tcp://127.0.0.2:5556'],
    });
    expect(() => socketAddress(context, 'requester', 'bind')).toThrow(/lists 2 addresses, but this socket binds one/);
  });

  it('names state sockets under states.<side>.<name>', () => {
    const context = testContext({ name: 'prices', kind: 'state', side: 'out', addresses: { publisher: 'ipc:///tmp/x.sock' } });
    expect(socketAddress(context, 'publisher', 'bind')).toEqual({
      path: 'states.out.prices.publisher',
      endpoint: 'ipc:///tmp/x.sock',
      endpoints: ['ipc:///tmp/x.sock'],
    });
    expect(addressPath(context, 'replyer')).toBe('states.out.prices.replyer');
  });

  it('rejects a missing socket with its path and how to add it', () => {
    const context = testContext({ name: 'prices', kind: 'state', addresses: { subscriber: '127.0.0.1:1' } });
    expect(hasAddress(context, 'requester')).toBe(false);
    expect(hasAddress(context, 'subscriber')).toBe(true);
    expect(() => socketAddress(context, 'requester', 'connect')).toThrow(
      expect.objectContaining({
        code: 'SF_ADDRESSES_INVALID',
        message: expect.stringContaining('No address for socket "requester" at states.in.prices.requester'),
        hint: expect.stringContaining('under states.in.prices'),
      }),
    );
  });

  it('rejects a malformed address, naming the model', () => {
    const context = testContext({ name: 'ticks', addresses: { subscriber: '*:5555' } });
    expect(() => socketAddress(context, 'subscriber', 'connect')).toThrow(/needs a host/);
    expect(() => socketAddress(context, 'subscriber', 'connect')).toThrow(expect.objectContaining({ code: 'SF_ADDRESSES_INVALID' }));
  });
});
