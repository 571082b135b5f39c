import { freePort, sleep, testContext } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Dealer, Publisher, Request, Router, Subscriber } from 'zeromq';
import { closeSocket } from './close.js';
import { createSocket } from './create-socket.js';
import { ReplyServer } from './reply-server.js';
import { SOCKET_OPTION_DEFAULTS, TCP_LIVENESS } from './socket-options.js';
import { TopicSubscriber } from './topic-subscriber.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function track<S extends { close(): unknown }>(socket: S): S {
  cleanups.push(() => socket.close());
  return socket;
}

describe('socket options', () => {
  it('every socket kind gets the defaults', () => {
    const context = testContext({ addresses: {} });
    for (const Kind of [Router, Request, Publisher, Subscriber] as const) {
      const socket = track(createSocket(Kind as new () => Router, context, 'connect', 'x'));
      expect(socket.heartbeatInterval).toBe(SOCKET_OPTION_DEFAULTS.heartbeat_interval_ms);
      expect(socket.heartbeatTimeout).toBe(SOCKET_OPTION_DEFAULTS.heartbeat_timeout_ms);
      expect(socket.reconnectInterval).toBe(SOCKET_OPTION_DEFAULTS.reconnect_interval_ms);
      expect(socket.reconnectMaxInterval).toBe(SOCKET_OPTION_DEFAULTS.reconnect_max_interval_ms);
      expect(socket.maxMessageSize).toBe(16 * 1024 * 1024);
      // No ZMTP heartbeats (they abort libzmq 4.3.5 on a full receive queue); the kernel's keepalive instead.
      expect(socket.heartbeatInterval).toBe(0);
      expect([socket.tcpKeepalive, socket.tcpKeepaliveIdle, socket.tcpKeepaliveInterval, socket.tcpKeepaliveCount]).toEqual([1, 10, 2, 3]);
      expect(socket.tcpMaxRetransmitTimeout).toBe(TCP_LIVENESS.tcpMaxRetransmitTimeout);
    }
  });

  it('creation arguments override them, high-water marks only where the socket kind has them', () => {
    const creation = {
      heartbeat_interval_ms: 250,
      heartbeat_timeout_ms: 900,
      reconnect_interval_ms: 30,
      reconnect_max_interval_ms: 700,
      max_message_size: 4096,
      send_high_water_mark: 7,
      receive_high_water_mark: 9,
    };
    const context = testContext({ addresses: {}, creation });
    const router = track(createSocket(Router, context, 'connect', 'replyer'));
    expect([
      router.heartbeatInterval,
      router.heartbeatTimeout,
      router.reconnectInterval,
      router.reconnectMaxInterval,
      router.maxMessageSize,
    ]).toEqual([250, 900, 30, 700, 4096]);
    expect([router.sendHighWaterMark, router.receiveHighWaterMark]).toEqual([7, 9]);
    const publisher = track(createSocket(Publisher, context, 'connect', 'publisher'));
    expect(publisher.sendHighWaterMark).toBe(7);
    expect(publisher.maxMessageSize).toBe(4096);
    const subscriber = track(createSocket(Subscriber, context, 'connect', 'subscriber'));
    expect(subscriber.receiveHighWaterMark).toBe(9);
    expect(subscriber.heartbeatInterval).toBe(250);
  });

  it('a bad value is a ValidationError naming the creation argument', () => {
    for (const [name, value] of [
      ['heartbeat_interval_ms', -1],
      ['max_message_size', 0],
      ['reconnect_interval_ms', 1.5],
      ['send_high_water_mark', -2],
    ] as const) {
      const context = testContext({ name: 'ticks', addresses: {}, creation: { [name]: value } });
      expect(() => createSocket(Request, context, 'connect', 'requester'), name).toThrow(
        expect.objectContaining({
          code: 'SF_VALIDATION_FAILED',
          location: expect.objectContaining({ argument: `optional_creation_arguments.${name}` }),
        }),
      );
    }
  });
});

describe('max_message_size', () => {
  it('a replyer never hands on a larger frame, drops that peer, and keeps answering the others', async () => {
    const port = await freePort();
    const seen: number[] = [];
    const context = testContext({ addresses: { replyer: `127.0.0.1:${port}` }, creation: { max_message_size: 1024 } });
    const server = new ReplyServer(context, {
      label: 'replyer',
      answer: (body) => {
        seen.push(body.length);
        return Buffer.from(`got ${body.length}`);
      },
    });
    cleanups.push(() => server.close());
    await server.open();
    const big = track(new Dealer({ linger: 0 }));
    big.connect(`tcp://127.0.0.1:${port}`);
    await big.send(['', Buffer.alloc(4096, 1)]);
    const small = track(new Dealer({ linger: 0 }));
    small.connect(`tcp://127.0.0.1:${port}`);
    await small.send(['', Buffer.alloc(100, 2)]);
    const [, reply] = await small.receive();
    expect(String(reply)).toBe('got 100');
    await sleep(200);
    expect(seen).toEqual([100]);
  });

  it('a subscriber never hands on a larger publication, and connects again to go on receiving after it', async () => {
    const port = await freePort();
    const payloads: number[] = [];
    const context = testContext({
      addresses: { subscriber: `127.0.0.1:${port}` },
      creation: { max_message_size: 1024, reconnect_interval_ms: 20 },
    });
    const subscriber = new TopicSubscriber(context, {
      label: 'subscriber',
      deliver: async (payload) => {
        payloads.push(payload.length);
      },
    });
    cleanups.push(() => subscriber.close());
    await subscriber.open();
    const publisher = track(new Publisher({ linger: 0 }));
    await publisher.bind(`tcp://127.0.0.1:${port}`);
    await expect
      .poll(async () => {
        await publisher.send(Buffer.alloc(10));
        return payloads.length;
      })
      .toBeGreaterThan(0);
    await publisher.send(Buffer.alloc(5000));
    await expect
      .poll(
        async () => {
          await publisher.send(Buffer.alloc(20));
          return payloads.includes(20);
        },
        { timeout: 5000, interval: 50 },
      )
      .toBe(true);
    expect(payloads.every((length) => length <= 1024)).toBe(true);
    expect(context.logs).toContainEqual(expect.objectContaining({ level: 'warn', msg: expect.stringContaining('connecting again') }));
  }, 15_000);
});

describe('reconnecting', () => {
  it('a subscriber reconnects to a restarted publisher, waiting longer after each failed attempt up to reconnect_max_interval_ms', async () => {
    const port = await freePort();
    const payloads: string[] = [];
    const retries: number[] = [];
    const connections: number[] = [];
    const context = testContext({
      addresses: { subscriber: `127.0.0.1:${port}` },
      creation: { reconnect_interval_ms: 50, reconnect_max_interval_ms: 400 },
    });
    // The same settings on a bare socket, whose retry events show the back-off.
    const probe = track(createSocket(Subscriber, context, 'connect', 'subscriber'));
    probe.events.on('connect:retry', (event) => retries.push(event.interval));
    probe.connect(`tcp://127.0.0.1:${port}`);
    const subscriber = new TopicSubscriber(context, {
      label: 'subscriber',
      deliver: async (payload) => {
        payloads.push(Buffer.from(payload).toString());
      },
      onConnectionChange: (connected, count) => connections.push(connected ? count : -count),
    });
    cleanups.push(() => subscriber.close());
    await subscriber.open();
    const publish = async (socket: Publisher, text: string): Promise<boolean> => {
      await socket.send(text);
      return payloads.includes(text);
    };
    const first = new Publisher({ linger: 0 });
    await first.bind(`tcp://127.0.0.1:${port}`);
    await expect.poll(() => publish(first, 'before')).toBe(true);
    await closeSocket(first, 0);
    await sleep(2000);
    const second = track(new Publisher({ linger: 0 }));
    await second.bind(`tcp://127.0.0.1:${port}`);
    const restarted = Date.now();
    await expect.poll(() => publish(second, 'after'), { timeout: 5000, interval: 20 }).toBe(true);
    expect(Date.now() - restarted).toBeLessThan(400 + 600);
    expect(connections).toEqual([1, -1, 2]);
    expect(retries.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...retries)).toBeLessThanOrEqual(400);
    expect(retries.slice(0, 3)).toEqual([...retries.slice(0, 3)].sort((a, b) => a - b));
    expect(new Set(retries).size).toBeGreaterThan(1);
  });
});
