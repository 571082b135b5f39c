import { decodeReply, encodeRequest } from '@sf/core';
import { describe, expect, it } from 'vitest';
import { Dealer, XPublisher } from 'zeromq';
import { freePorts, loopback, RawRequester, startSf } from '../src/index.js';
import { useE2eHooks } from './helpers/hooks.js';

/**
 * A peer that sends faster than a handler takes messages fills the service's receive queue; libzmq
 * then stops reading that connection. If the peer goes away meanwhile (or stops hearing from us),
 * libzmq 4.3.5 aborts the whole process on the socket's next ZMTP heartbeat
 * (`Assertion failed: !_io_error`, or `_input_stopped` after a heartbeat timeout). Heartbeats are
 * off by default for that reason: these tests aborted the service with the old default of 2000 ms.
 */
const temp = useE2eHooks();

/** Longer than the old default heartbeat interval (2000 ms), so the next heartbeat would have come. */
const OUTLIVE_MS = 3000;
const request = (n: number) => encodeRequest({ args: { n }, workflow_id: `w${n}` });

async function startTarget() {
  const [slowPort, feedPort] = (await freePorts(2)) as [number, number];
  const addresses = await temp.addresses({
    connections: { in: { slow: { replyer: loopback(slowPort) }, feed: { subscriber: loopback(feedPort) } } },
  });
  // A publisher that drops a subscriber silent for 600 ms (ZeroMQ's own heartbeats, as a peer may set them).
  const feed = new XPublisher({ linger: 0, sendHighWaterMark: 0, heartbeatInterval: 200, heartbeatTimeout: 600 });
  await feed.bind(`tcp://127.0.0.1:${feedPort}`);
  const target = startSf(['-s', 'backlog-target.mjs', '-a', addresses]);
  await target.ready();
  await feed.receive();
  return { target, feed, slowPort };
}

describe('a backlog the handler cannot keep up with, then the peer leaves', () => {
  it('a replyer flooded with requests by a peer that then disconnects keeps running and answers others', async () => {
    const { target, feed, slowPort } = await startTarget();
    feed.close();
    const flooder = new Dealer({ linger: 0, sendHighWaterMark: 0 });
    flooder.connect(`tcp://127.0.0.1:${slowPort}`);
    for (let n = 0; n < 3000; n++) await flooder.send([Buffer.alloc(0), request(n)]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    flooder.close();
    await new Promise((resolve) => setTimeout(resolve, OUTLIVE_MS));
    expect(target.running, target.output().slice(-2000)).toBe(true);
    // The replyer takes its peers in turn: a second peer waits for one slow request, not the backlog.
    const peer = new RawRequester(slowPort, 5000);
    try {
      expect(decodeReply(await peer.request(request(9999))).return_args).toEqual({ n: 9999 });
    } finally {
      peer.close();
    }
  });

  it('a flooded subscriber that cannot answer heartbeats, dropped by its publisher, keeps running and keeps handling', async () => {
    const { target, feed } = await startTarget();
    try {
      for (let n = 1; n <= 3000; n++) await feed.send(encodeRequest({ args: { n }, workflow_id: null }));
      // The publisher drops the connection 600 ms after the subscriber stopped reading it.
      await new Promise((resolve) => setTimeout(resolve, 2 * OUTLIVE_MS));
    } finally {
      feed.close();
    }
    expect(target.running, target.output().slice(-2000)).toBe(true);
    await target.waitForLine(/^feed \d+$/, 5000);
  });
});
