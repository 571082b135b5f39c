import { describe, expect, it } from 'vitest';
import { RECEIVE_HIGH_WATER_MARK_ARGUMENT, SEND_HIGH_WATER_MARK_ARGUMENT, SOCKET_CREATION_ARGUMENTS } from '@sf/zmq-base';
import plugin from './index.js';

describe('@sf/conn-zmq-pubsub plugin', () => {
  it('declares publisher (out) and subscriber (in) as peers of each other', () => {
    expect(plugin.name).toBe('@sf/conn-zmq-pubsub');
    const { publisher, subscriber } = plugin.types;
    expect(publisher).toMatchObject({ side: 'out', kind: 'connection', peers: ['subscriber'], addresses: ['publisher'] });
    expect(publisher).toMatchObject({ replies: false });
    expect(publisher.creationArguments?.optional).toEqual({
      topic: String,
      is_x_pub: Boolean,
      wait_after_creation_s: Number,
      count_drops: Boolean,
      send_high_water_mark: Number,
      ...SOCKET_CREATION_ARGUMENTS,
    });
    expect(SEND_HIGH_WATER_MARK_ARGUMENT).toEqual({ send_high_water_mark: Number });
    expect(subscriber).toMatchObject({ side: 'in', kind: 'connection', peers: ['publisher'], addresses: ['subscriber'] });
    expect(subscriber).toMatchObject({ handler: 'on_new_message', replies: false });
    expect(subscriber.creationArguments?.required).toEqual({ on_new_message: Function });
    expect(subscriber.creationArguments?.optional).toEqual({
      topic: String,
      is_binder: Boolean,
      ...RECEIVE_HIGH_WATER_MARK_ARGUMENT,
      ...SOCKET_CREATION_ARGUMENTS,
    });
    expect(RECEIVE_HIGH_WATER_MARK_ARGUMENT).toEqual({ receive_high_water_mark: Number });
  });
});
