// A nats_subscriber whose handler is slow drops what does not fit its queue, counted as queue_full.
import { type ChildProcess, spawn } from 'node:child_process';
import { freePort, testContext } from '@sf/core/testing';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsSubscriber } from '../src/publisher.js';
import { natsAvailability } from '../src/testing.js';

const nats = natsAvailability();

describe.skipIf(!nats.binary)(`the inbound queue of a NATS in-type is bounded${nats.skip}`, () => {
  let server: ChildProcess;
  let servers: string;
  let publisher: NatsConnection;
  beforeAll(async () => {
    const port = await freePort();
    servers = `nats://127.0.0.1:${port}`;
    server = spawn(nats.binary!, ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    for (let tries = 0; ; tries++) {
      try {
        publisher = await connect({ servers });
        break;
      } catch (error) {
        if (tries > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  afterAll(async () => {
    await publisher?.close();
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
  });

  it('takes max_queued messages past the one running, drops and counts the rest, then handles what it took', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const received: string[] = [];
    const context = testContext({
      name: 'ticks',
      addresses: {},
      creation: { servers, max_queued: 5, on_new_message: () => {} },
      receive: async (frame) => {
        await gate;
        received.push(Buffer.from(frame).toString());
        return undefined;
      },
    });
    const endpoint = await natsSubscriber.create(context);
    await endpoint.open();
    try {
      for (let n = 0; n < 100; n++) publisher.publish('ticks', `m${n}`);
      await publisher.flush();
      await expect.poll(() => context.rejects.length).toBe(94);
      expect(new Set(context.rejects.map((reject) => reject.reason))).toEqual(new Set(['queue_full']));
      expect(context.rejects[0]!.message).toContain('max_queued 5');
      release();
      await expect.poll(() => received.length).toBe(6);
      expect(received).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    } finally {
      release();
      await endpoint.close();
    }
  });

  it('refuses a max_queued that is not a whole number from 1', () => {
    const context = testContext({ name: 'ticks', addresses: {}, creation: { servers, max_queued: 0, on_new_message: () => {} } });
    expect(() => natsSubscriber.create(context)).toThrow(/max_queued/);
  });
});
