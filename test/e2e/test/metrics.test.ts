import { encodeRequest } from '@sf/core';
import { listen } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, freePort, loopback, RawRequester, scrape, startSf } from '../src/index.js';
import { useE2eHooks } from './helpers/hooks.js';

const temp = useE2eHooks();
let raw: RawRequester | undefined;
afterEach(() => {
  raw?.close();
  raw = undefined;
});

/** `sf run` flags that serve metrics on a free port, and that port's base URL. */
async function metricsFlag(): Promise<{ flags: string[]; url: string }> {
  const port = await freePort();
  return { flags: ['--metrics', `127.0.0.1:${port}`], url: `http://127.0.0.1:${port}` };
}

const ECHO = { model: 'connection_models.in.echo', type: 'replyer' };

describe('sf run --metrics', () => {
  it('a replyer under load: messages, bytes, durations and rejections match what was sent', async () => {
    const port = await freePort();
    const metrics = await metricsFlag();
    const addresses = await temp.addresses({ connections: { in: { echo: { replyer: loopback(port) } } } });
    const replyer = startSf(['-s', 'echo-replyer.ts', '-a', addresses, ...metrics.flags]);
    await replyer.ready();
    expect(await (await fetch(`${metrics.url}/healthz`)).text()).toBe('ok\n');
    expect((await fetch(`${metrics.url}/readyz`)).status).toBe(200);

    raw = new RawRequester(port);
    const sent = 300;
    let bytesIn = 0;
    let bytesOut = 0;
    for (let index = 0; index < sent; index += 1) {
      const frame = encodeRequest({ args: { text: `message ${index}` }, workflow_id: `wf-${index}` });
      bytesIn += frame.byteLength;
      bytesOut += (await raw.request(frame)).byteLength;
    }
    const garbage = [new Uint8Array([0xc1]), new Uint8Array([0x92, 0x01])];
    for (const frame of garbage) {
      bytesIn += frame.byteLength;
      bytesOut += (await raw.request(frame)).byteLength;
    }
    const badArgs = encodeRequest({ args: { text: 42 }, workflow_id: 'bad' });
    bytesIn += badArgs.byteLength;
    bytesOut += (await raw.request(badArgs)).byteLength;

    const value = await scrape(`${metrics.url}/metrics`);
    const total = sent + garbage.length + 1;
    expect(value('sf_messages_total', { ...ECHO, direction: 'in' })).toBe(total);
    expect(value('sf_messages_total', { ...ECHO, direction: 'out' })).toBe(total);
    expect(value('sf_message_bytes_total', { ...ECHO, direction: 'in' })).toBe(bytesIn);
    expect(value('sf_message_bytes_total', { ...ECHO, direction: 'out' })).toBe(bytesOut);
    expect(value('sf_handler_duration_seconds_count', ECHO)).toBe(total);
    expect(value('sf_handler_duration_seconds_bucket', { ...ECHO, le: '+Inf' })).toBe(total);
    expect(value('sf_inflight', ECHO)).toBe(0);
    expect(value('sf_rejected_total', { ...ECHO, reason: 'undecodable' })).toBe(garbage.length);
    expect(value('sf_rejected_total', { ...ECHO, reason: 'bad_arguments' })).toBe(1);
    expect(value('sf_errors_total', { ...ECHO, error: 'DecodeError' })).toBe(garbage.length);
    expect(value('sf_errors_total', { ...ECHO, error: 'ValidationError' })).toBe(1);
    expect(value('process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(value('sf_endpoint_ready', { ...ECHO, service: 'echo-replyer' })).toBe(1);

    expect(await replyer.stop('SIGINT'), replyer.output()).toBe(0);
  });

  it('a --metrics port in use stops the start with SF_BIND_FAILED (exit 1)', async () => {
    const holder = await listen(0);
    const taken = (holder.address() as { port: number }).port;
    try {
      const addresses = await temp.addresses({ connections: { in: { echo: { replyer: loopback(await freePort()) } } } });
      const replyer = startSf(['-s', 'echo-replyer.ts', '-a', addresses, '--metrics', `127.0.0.1:${taken}`]);
      expect(await replyer.exitCode(), replyer.output()).toBe(1);
      expect(replyer.stderr.join('\n')).toMatch(
        new RegExp(`^sf: Cannot serve metrics on 127\\.0\\.0\\.1:${taken}: listen EADDRINUSE`, 'm'),
      );
    } finally {
      holder.close();
    }
  });

  it('a requester that gets no reply counts its retries and timeouts', async () => {
    const [askPort, nowherePort] = [await freePort(), await freePort()];
    const metrics = await metricsFlag();
    const addresses = await temp.addresses({
      connections: { in: { ask: { replyer: loopback(askPort) } }, out: { nowhere: { requester: loopback(nowherePort) } } },
    });
    const relay = startSf(['-s', 'metrics-relay.mjs', '-a', addresses, '--timeout_ms', '150', ...metrics.flags]);
    await relay.ready();
    raw = new RawRequester(askPort, 10_000);
    const asks = 2;
    for (let index = 0; index < asks; index += 1) await raw.request(encodeRequest({ args: {}, workflow_id: `ask-${index}` }));

    const value = await scrape(`${metrics.url}/metrics`);
    const nowhere = { model: 'connection_models.out.nowhere', type: 'requester' };
    expect(value('sf_request_timeouts_total', nowhere)).toBe(asks);
    expect(value('sf_retries_total', nowhere)).toBe(asks);
    expect(value('sf_messages_total', { ...nowhere, direction: 'out' })).toBe(asks);
    expect(value('sf_messages_total', { ...nowhere, direction: 'in' })).toBe(0);
    expect(value('sf_inflight', nowhere)).toBe(0);
    expect(value('sf_messages_total', { model: 'connection_models.in.ask', direction: 'out' })).toBe(asks);
    expect(await relay.stop('SIGINT'), relay.output()).toBe(0);
  });

  it('/readyz of a requester whose peer is not up yet: 503 naming the peer, 200 once it comes up', async () => {
    const [askPort, peerPort] = [await freePort(), await freePort()];
    const metrics = await metricsFlag();
    const addresses = await temp.addresses({
      connections: { in: { ask: { replyer: loopback(askPort) } }, out: { nowhere: { requester: loopback(peerPort) } } },
    });
    const relay = startSf(['-s', 'metrics-relay.mjs', '-a', addresses, '--timeout_ms', '150', ...metrics.flags]);
    await relay.ready();
    const readyz = await fetch(`${metrics.url}/readyz`);
    expect(readyz.status).toBe(503);
    expect(await readyz.text()).toContain(
      `connections.out.nowhere.requester (requester) is not connected to tcp://127.0.0.1:${peerPort} yet`,
    );
    const peerAddresses = await temp.addresses({ connections: { in: { echo: { replyer: loopback(peerPort) } } } });
    const peer = startSf(['-s', 'echo-replyer.ts', '-a', peerAddresses]);
    await peer.ready();
    const readyzIs = (status: number) => async () => ((await fetch(`${metrics.url}/readyz`)).status === status ? true : undefined);
    await eventually('/readyz 200 once the peer is up', readyzIs(200));
    const value = await scrape(`${metrics.url}/metrics`);
    expect(value('sf_endpoint_ready', { model: 'connection_models.out.nowhere', type: 'requester' })).toBe(1);
    expect(await peer.stop('SIGINT'), peer.output()).toBe(0);
    await eventually('/readyz 503 once the peer is gone', readyzIs(503));
    expect(await relay.stop('SIGINT'), relay.output()).toBe(0);
  });

  it('/readyz of an in-state reader: not ready until it holds a value, not ready once its writer is gone, ready again after', async () => {
    const [writePort, publisherPort, replyerPort] = [await freePort(), await freePort(), await freePort()];
    const metrics = await metricsFlag();
    const writerAddresses = await temp.addresses({
      connections: { in: { write: { replyer: loopback(writePort) } } },
      states: { out: { level: { publisher: loopback(publisherPort), replyer: loopback(replyerPort) } } },
    });
    const readerAddresses = await temp.addresses({
      states: { in: { level: { subscriber: loopback(publisherPort), requester: loopback(replyerPort) } } },
    });
    const readyz = async () => (await fetch(`${metrics.url}/readyz`)).status;
    const write = async (n: number) => {
      raw ??= new RawRequester(writePort);
      await raw.request(encodeRequest({ args: { n }, workflow_id: `write-${n}` }));
    };

    let writer = startSf(['-s', 'metrics-state-writer.mjs', '-a', writerAddresses]);
    await writer.ready();
    const reader = startSf(['-s', 'metrics-state-reader.mjs', '-a', readerAddresses, ...metrics.flags]);
    await reader.ready();
    expect(await readyz()).toBe(503);
    expect(await (await fetch(`${metrics.url}/readyz`)).text()).toContain('state_models.in.level (delta_update_in)');

    await write(1);
    await reader.waitForLine(/^level 1$/);
    expect(await readyz()).toBe(200);

    await writer.kill();
    await eventually('/readyz is 503 once the writer is gone', async () => ((await readyz()) === 503 ? true : undefined));

    raw?.close();
    raw = undefined;
    writer = startSf(['-s', 'metrics-state-writer.mjs', '-a', writerAddresses]);
    await writer.ready();
    await eventually('the reader takes the restarted writer’s snapshot', async () => {
      const value = await scrape(`${metrics.url}/metrics`);
      return value('sf_snapshots_total', { model: 'state_models.in.level' }) >= 2 ? true : undefined;
    });
    await write(7);
    await reader.waitForLine(/^level 7$/);
    await eventually('/readyz is 200 again', async () => ((await readyz()) === 200 ? true : undefined));
    const value = await scrape(`${metrics.url}/metrics`);
    expect(value('sf_state_current_num', { model: 'state_models.in.level' })).toBe(1);
    expect(value('sf_state_updates_total', { model: 'state_models.in.level' })).toBe(2);
    expect(value('sf_resyncs_total', { model: 'state_models.in.level' })).toBeGreaterThanOrEqual(1);

    expect(await reader.stop('SIGINT'), reader.output()).toBe(0);
    expect(await writer.stop('SIGINT'), writer.output()).toBe(0);
  });
});
