import { connect, type Server, type Socket } from 'node:net';
import type { Endpoint } from '@sf/core/plugin';
import { afterEach, describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { freePort, listen, outbound, sleep } from '@sf/core/testing';
import { handContext, waitFor } from './helpers.js';

const { ndjson_in: ndjsonIn, ndjson_out: ndjsonOut } = plugin.types;

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openIn(creation: Record<string, unknown> = {}) {
  const port = await freePort();
  const context = handContext('in', `127.0.0.1:${port}`, { on_new_message: () => {}, ...creation });
  const endpoint = await ndjsonIn.create(context);
  await endpoint.open();
  cleanups.push(() => endpoint.close());
  return { port, context, endpoint };
}

async function rawClient(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  cleanups.push(() => socket.destroy());
  return socket;
}

const line = (bytes: number[]) => `${JSON.stringify({ frame: Buffer.from(bytes).toString('base64') })}\n`;
const asArrays = (frames: Uint8Array[]) => frames.map((frame) => [...frame]);

describe('ndjson_in', () => {
  it('hands every line of a client to the runner as frame bytes, in order', async () => {
    const { port, context } = await openIn();
    const client = await rawClient(port);
    client.write(line([1]) + line([2, 2]) + line([3, 3, 3]));
    await waitFor(() => context.frames.length === 3);
    expect(asArrays(context.frames)).toEqual([[1], [2, 2], [3, 3, 3]]);
  });

  it('waits for the rest of a line split across writes', async () => {
    const { port, context } = await openIn();
    const client = await rawClient(port);
    const text = line([10, 20, 30]) + line([40]);
    for (const piece of [text.slice(0, 5), text.slice(5, 14), text.slice(14, -3), text.slice(-3)]) {
      client.write(piece);
      await sleep(20);
    }
    await waitFor(() => context.frames.length === 2);
    expect(asArrays(context.frames)).toEqual([[10, 20, 30], [40]]);
  });

  it('takes clients that leave and come back, dropping only an unfinished line', async () => {
    const { port, context } = await openIn();
    const first = await rawClient(port);
    first.end(`${line([1])}{"frame":"AQ`);
    await waitFor(() => context.logs.some((log) => log.msg?.includes('left mid-line')));
    const second = await rawClient(port);
    second.write(line([2]));
    await waitFor(() => context.frames.length === 2);
    expect(asArrays(context.frames)).toEqual([[1], [2]]);
  });

  it('logs and skips a line that carries no frame, then goes on', async () => {
    const { port, context } = await openIn();
    const client = await rawClient(port);
    client.write(`{"text":"hello"}\n${line([7])}`);
    await waitFor(() => context.frames.length === 1);
    expect(asArrays(context.frames)).toEqual([[7]]);
    const warning = context.logs.find((log) => log.level === 'warn');
    expect(warning?.msg).toContain('dropped a line');
    expect(warning?.obj).toMatchObject({ problem: 'the line is not an object with a string "frame"' });
  });

  it('disconnects a client whose line grows past max_line_bytes', async () => {
    const { port, context } = await openIn({ max_line_bytes: 64 });
    const client = await rawClient(port);
    const closed = new Promise((resolve) => client.once('close', resolve));
    client.write('x'.repeat(200));
    await closed;
    expect(context.logs.some((log) => log.level === 'error' && log.msg?.includes('max_line_bytes'))).toBe(true);
    expect(context.frames).toEqual([]);
  });

  it('stops reading lines once paused', async () => {
    const { port, context, endpoint } = await openIn();
    const client = await rawClient(port);
    client.write(line([1]));
    await waitFor(() => context.frames.length === 1);
    await endpoint.pause!();
    client.write(line([2]));
    await sleep(100);
    expect(context.frames).toHaveLength(1);
  });

  it('closes safely twice, frees its port and refuses to reopen', async () => {
    const { port, endpoint } = await openIn();
    await rawClient(port);
    await endpoint.close();
    await endpoint.close();
    const again: Server = await listen(port);
    again.close();
    await expect(endpoint.open()).rejects.toMatchObject({ code: 'SF_CONNECTION_CLOSED' });
  });

  it('fails to bind a port in use with an error naming the model and address', async () => {
    const held = await listen(0);
    cleanups.push(() => held.close());
    const port = (held.address() as { port: number }).port;
    const endpoint = await ndjsonIn.create(handContext('in', `tcp://127.0.0.1:${port}`, { on_new_message: () => {} }));
    const error = await endpoint.open().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'SF_BIND_FAILED', location: { model: 'connection_models.in.prices' } });
    expect((error as Error).message).toContain(`tcp://127.0.0.1:${port} (connections.in.prices.listener): address already in use`);
    await endpoint.close();
  });
});

describe('ndjson_out', () => {
  /** A bare TCP server that records the lines it receives. */
  async function lineServer(port = 0) {
    const server = await listen(port);
    const received: string[] = [];
    const sockets = new Set<Socket>();
    server.on('connection', (socket) => {
      sockets.add(socket);
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
        const lines = text.split('\n');
        text = lines.pop()!;
        received.push(...lines);
      });
    });
    const stop = () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    };
    cleanups.push(stop);
    return { port: (server.address() as { port: number }).port, received, stop };
  }

  async function openOut(port: number, creation: Record<string, unknown> = {}): Promise<Endpoint> {
    const endpoint = await ndjsonOut.create(handContext('out', `127.0.0.1:${port}`, creation));
    cleanups.push(() => endpoint.close());
    await endpoint.open();
    return endpoint;
  }

  it('writes one {"frame": base64} line per send, in order', async () => {
    const server = await lineServer();
    const endpoint = await openOut(server.port);
    await Promise.all([endpoint.send!(outbound(Uint8Array.from([1, 2]))), endpoint.send!(outbound(Uint8Array.from([255])))]);
    await expect(endpoint.send!(outbound(Uint8Array.from([0])))).resolves.toBeUndefined();
    await waitFor(() => server.received.length === 3);
    expect(server.received.map((text) => [...Buffer.from(JSON.parse(text).frame, 'base64')])).toEqual([[1, 2], [255], [0]]);
  });

  it('keeps trying while the listener is starting', async () => {
    const port = await freePort();
    const late = sleep(300).then(() => lineServer(port));
    const endpoint = await openOut(port, { connect_timeout_ms: 3000 });
    await endpoint.send!(outbound(Uint8Array.from([5])));
    const server = await late;
    await waitFor(() => server.received.length === 1);
  });

  it('fails with an error naming the model and address when nothing listens', async () => {
    const port = await freePort();
    const endpoint = await ndjsonOut.create(handContext('out', `127.0.0.1:${port}`, { connect_timeout_ms: 200 }));
    const started = Date.now();
    const error = await endpoint.open().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(error).toMatchObject({ code: 'SF_CONNECT_FAILED', location: { model: 'connection_models.out.prices' } });
    expect((error as Error).message).toContain(`Cannot connect to 127.0.0.1:${port} (connections.out.prices.listener) within 200 ms`);
    expect((error as Error).message).toContain('ECONNREFUSED');
    await endpoint.close();
  });

  it('reconnects on the next send after the listener restarts', async () => {
    const first = await lineServer();
    const endpoint = await openOut(first.port);
    await endpoint.send!(outbound(Uint8Array.from([1])));
    await waitFor(() => first.received.length === 1);
    await first.stop();
    await sleep(50);
    const second = await lineServer(first.port);
    await endpoint.send!(outbound(Uint8Array.from([2])));
    await waitFor(() => second.received.length === 1);
    expect(JSON.parse(second.received[0]!)).toEqual({ frame: Buffer.from([2]).toString('base64') });
  });

  it('closes safely twice and then refuses to send', async () => {
    const server = await lineServer();
    const endpoint = await openOut(server.port);
    await endpoint.send!(outbound(Uint8Array.from([9])));
    await Promise.all([endpoint.close(), endpoint.close()]);
    await endpoint.close();
    await waitFor(() => server.received.length === 1);
    await expect(endpoint.send!(outbound(Uint8Array.from([9])))).rejects.toMatchObject({ code: 'SF_CONNECTION_CLOSED' });
  });
});

describe('ndjson_out → ndjson_in', () => {
  it('carries frames of any bytes unchanged', async () => {
    const { port, context } = await openIn();
    const out = await ndjsonOut.create(handContext('out', `127.0.0.1:${port}`));
    cleanups.push(() => out.close());
    await out.open();
    const frames = [Uint8Array.from({ length: 256 }, (_, i) => i), Uint8Array.from([0x0a, 0x0d, 0x0a]), new Uint8Array(100_000).fill(0x42)];
    for (const frame of frames) await out.send!(outbound(frame));
    await waitFor(() => context.frames.length === 3);
    const hex = (list: Uint8Array[]) => list.map((frame) => Buffer.from(frame).toString('hex'));
    expect(hex(context.frames)).toEqual(hex(frames));
  });
});

describe('addresses', () => {
  it('requires a listener address', () => {
    expect(() => ndjsonIn.create(handContext('in', undefined, { on_new_message: () => {} }))).toThrow(
      expect.objectContaining({
        code: 'SF_ADDRESSES_INVALID',
        message: expect.stringContaining('No address for socket "listener" at connections.in.prices.listener'),
      }),
    );
  });

  it('accepts only TCP addresses', () => {
    expect(() => ndjsonOut.create(handContext('out', 'ipc:///tmp/prices.sock'))).toThrow(
      expect.objectContaining({ code: 'SF_ADDRESSES_INVALID', message: expect.stringContaining('ndjson connections speak TCP only') }),
    );
  });

  it('rejects a non-positive timeout', () => {
    expect(() => ndjsonOut.create(handContext('out', '127.0.0.1:5555', { connect_timeout_ms: 0 }))).toThrow(
      expect.objectContaining({
        code: 'SF_VALIDATION_FAILED',
        message: expect.stringContaining('optional_creation_arguments.connect_timeout_ms'),
      }),
    );
  });
});
