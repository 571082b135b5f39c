import { freePort, listen, sleep, testContext } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Dealer, Request } from 'zeromq';
import { type AnswerRequest, ReplyServer } from './reply-server.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openServer(port: number, answer: AnswerRequest, concurrency?: number) {
  const context = testContext({ name: 'quote', addresses: { replyer: `127.0.0.1:${port}` } });
  const server = new ReplyServer(context, { label: 'test replyer', answer, concurrency });
  cleanups.push(() => server.close());
  await server.open();
  return { server, context };
}

function requestSocket(port: number): Request {
  const socket = new Request({ linger: 0 });
  socket.connect(`tcp://127.0.0.1:${port}`);
  cleanups.push(() => socket.close());
  return socket;
}

/** A Dealer that looks like a REQ peer (empty delimiter frame) but keeps several requests outstanding. */
function dealerSocket(port: number): Dealer {
  const socket = new Dealer({ linger: 0 });
  socket.connect(`tcp://127.0.0.1:${port}`);
  cleanups.push(() => socket.close());
  return socket;
}

describe('ReplyServer', () => {
  it('answers a plain REQ peer with the reply the callback builds from the body', async () => {
    const port = await freePort();
    await openServer(port, (body) => Buffer.from(`re: ${body.toString()}`));
    const client = requestSocket(port);
    await client.send('ping');
    expect((await client.receive()).map(String)).toEqual(['re: ping']);
    await client.send('again');
    expect((await client.receive()).map(String)).toEqual(['re: again']);
  });

  it('hands requests over one at a time, in arrival order, and keeps each routing envelope', async () => {
    const port = await freePort();
    const started: number[] = [];
    let running = 0;
    let maxRunning = 0;
    await openServer(port, async (body) => {
      const n = Number(body.toString());
      started.push(n);
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await sleep((5 - n) * 10);
      running -= 1;
      return Buffer.from(`done ${n}`);
    });
    const client = dealerSocket(port);
    for (let n = 0; n < 5; n++) await client.send(['', String(n)]);
    const replies: string[] = [];
    for (let n = 0; n < 5; n++) {
      const [delimiter, body] = await client.receive();
      expect(delimiter?.length).toBe(0);
      replies.push(String(body));
    }
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(maxRunning).toBe(1);
    expect(replies).toEqual(['done 0', 'done 1', 'done 2', 'done 3', 'done 4']);
  });

  it('with concurrency answers that many requests at once, each reply to its own requester, the rest waiting their turn', async () => {
    const port = await freePort();
    const started: string[] = [];
    const releases = new Map<string, () => void>();
    await openServer(
      port,
      (body) => {
        const text = body.toString();
        started.push(text);
        return new Promise((resolve) => releases.set(text, () => resolve(Buffer.from(`re: ${text}`))));
      },
      3,
    );
    const names = ['a', 'b', 'c', 'd', 'e'];
    const clients = names.map(() => requestSocket(port));
    for (const [i, client] of clients.entries()) {
      await client.send(names[i]!);
      await expect.poll(() => started.length).toBe(Math.min(i + 1, 3));
    }
    await sleep(50);
    expect(started).toEqual(['a', 'b', 'c']);
    const replies = clients.map((client) => client.receive().then(([frame]) => String(frame)));
    // Answered out of arrival order: c first, then b; each frees a place for one of d and e.
    releases.get('c')?.();
    await expect.poll(() => started.length).toBe(4);
    await sleep(50);
    expect(started.length).toBe(4);
    releases.get('b')?.();
    await expect.poll(() => [...started].sort()).toEqual(names);
    for (const name of ['e', 'a', 'd']) releases.get(name)?.();
    expect(await Promise.all(replies)).toEqual(['re: a', 're: b', 're: c', 're: d', 're: e']);
  });

  it('with concurrency lets every request being answered reply when closed', async () => {
    const port = await freePort();
    const releases: Array<() => void> = [];
    const { server } = await openServer(
      port,
      (body) => new Promise((resolve) => releases.push(() => resolve(Buffer.from(`re: ${body}`)))),
      4,
    );
    const clients = ['x', 'y'].map(() => requestSocket(port));
    await clients[0]!.send('x');
    await clients[1]!.send('y');
    await expect.poll(() => releases.length).toBe(2);
    const closing = server.close();
    await sleep(20);
    for (const release of releases.reverse()) release();
    await closing;
    expect((await clients[0]!.receive()).map(String)).toEqual(['re: x']);
    expect((await clients[1]!.receive()).map(String)).toEqual(['re: y']);
  });

  it('sends nothing for an undefined reply, logs a callback that throws, and keeps serving', async () => {
    const port = await freePort();
    let calls = 0;
    const { context } = await openServer(port, async () => {
      calls += 1;
      if (calls === 1) return undefined;
      if (calls === 2) throw new Error('no answer today');
      return Buffer.from('fine');
    });
    const silent = requestSocket(port);
    await silent.send('a');
    const failed = requestSocket(port);
    await failed.send('b');
    await expect.poll(() => calls).toBe(2);
    const client = requestSocket(port);
    await client.send('c');
    expect((await client.receive())[0]?.toString()).toBe('fine');
    const errors = context.logs.filter((line) => line.level === 'error');
    expect(errors.map((line) => line.msg)).toEqual(['test replyer failed to answer a request']);
    expect(errors[0]?.obj).toMatchObject({
      address: 'connections.in.quote.replyer',
      err: expect.objectContaining({ message: 'no answer today' }),
    });
  });

  it('logs noReply at error when the answer is undefined, and answers the next request', async () => {
    const port = await freePort();
    const context = testContext({ name: 'quote', addresses: { replyer: `127.0.0.1:${port}` } });
    let calls = 0;
    const server = new ReplyServer(context, {
      label: 'test replyer',
      answer: () => (++calls === 1 ? undefined : Buffer.from('second')),
      noReply: 'no reply from the runner',
    });
    cleanups.push(() => server.close());
    await server.open();
    await requestSocket(port).send('first');
    await expect.poll(() => calls).toBe(1);
    const client = requestSocket(port);
    await client.send('again');
    expect((await client.receive()).map(String)).toEqual(['second']);
    const errors = context.logs.filter((line) => line.level === 'error');
    expect(errors.map((line) => line.msg)).toEqual(['no reply from the runner']);
    expect(errors[0]?.obj).toEqual({ address: 'connections.in.quote.replyer' });
  });

  it('after pause takes no new request, while the one being answered still gets its reply', async () => {
    const port = await freePort();
    const seen: string[] = [];
    let release: (() => void) | undefined;
    const { server } = await openServer(port, (body) => {
      seen.push(body.toString());
      return new Promise((resolve) => {
        release = () => resolve(Buffer.from('answered'));
      });
    });
    const first = requestSocket(port);
    await first.send('first');
    await expect.poll(() => release).toBeDefined();
    await server.pause();
    release?.();
    expect((await first.receive())[0]?.toString()).toBe('answered');
    const second = requestSocket(port);
    await second.send('second');
    await sleep(100);
    expect(seen).toEqual(['first']);
  });

  it('paused while idle, leaves the next request unhandled and says so', async () => {
    const port = await freePort();
    const seen: string[] = [];
    const { server, context } = await openServer(port, (body) => {
      seen.push(body.toString());
      return Buffer.from('x');
    });
    await server.pause();
    await requestSocket(port).send('too late');
    await expect
      .poll(() => context.logs.map((line) => line.msg))
      .toContain('test replyer is stopping: a request that arrived meanwhile was not handled');
    expect(seen).toEqual([]);
  });

  it('lets the reply being built go out when closed, and closes in bounded time when it never comes', async () => {
    const port = await freePort();
    let release: (() => void) | undefined;
    const { server } = await openServer(port, () => new Promise((resolve) => (release = () => resolve(Buffer.from('late')))));
    const client = requestSocket(port);
    await client.send('slow');
    await expect.poll(() => release).toBeDefined();
    const closing = server.close();
    release?.();
    await closing;
    expect((await client.receive())[0]?.toString()).toBe('late');

    const hangPort = await freePort();
    let received = false;
    const { server: hanging } = await openServer(hangPort, () => {
      received = true;
      return new Promise(() => {});
    });
    await requestSocket(hangPort).send('hang');
    await expect.poll(() => received).toBe(true);
    const started = Date.now();
    await hanging.close();
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('closes twice, frees its port, and refuses to open again', async () => {
    const port = await freePort();
    const { server } = await openServer(port, () => Buffer.from('x'));
    await server.close();
    await server.close();
    await expect(server.open()).rejects.toMatchObject({
      code: 'SF_CONNECTION_CLOSED',
      message: expect.stringContaining('Cannot open a test replyer after close'),
    });
    await openServer(port, () => Buffer.from('again'));
    const client = requestSocket(port);
    await client.send('?');
    expect((await client.receive())[0]?.toString()).toBe('again');
  });

  it('fails to open on a port in use with SF_BIND_FAILED, and opens once the port is free', async () => {
    const port = await freePort();
    const holder = await listen(port);
    const context = testContext({ name: 'quote', addresses: { replyer: `127.0.0.1:${port}` } });
    const server = new ReplyServer(context, { label: 'test replyer', answer: () => Buffer.from('ok') });
    cleanups.push(() => server.close());
    await expect(server.open()).rejects.toMatchObject({
      code: 'SF_BIND_FAILED',
      message: expect.stringContaining('connections.in.quote.replyer'),
    });
    await new Promise((resolve) => holder.close(resolve));
    await server.open();
    const client = requestSocket(port);
    await client.send('?');
    expect((await client.receive())[0]?.toString()).toBe('ok');
  });

  it('binds the socket named in options, and names it in a missing-address error', () => {
    const context = testContext({ name: 'book', kind: 'state', side: 'out', addresses: { snapshots: '127.0.0.1:1' } });
    expect(new ReplyServer(context, { label: 'x', answer: () => undefined, socket: 'snapshots' }).address).toEqual({
      path: 'states.out.book.snapshots',
      endpoint: 'tcp://127.0.0.1:1',
      endpoints: ['tcp://127.0.0.1:1'],
    });
    expect(() => new ReplyServer(context, { label: 'x', answer: () => undefined })).toThrow(
      /No address for socket "replyer" at states\.out\.book\.replyer/,
    );
  });
});
