import { compileArguments } from '@sf/core';
import { decodeReply, decodeRequest, encodeReply, encodeRequest } from '@sf/core/plugin';
import { freePort, sleep } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Publisher, Request, Router } from 'zeromq';
import { cleanUp, onCleanUp, openIn, openOut, RICH_MODEL, richValue, stateMessage, until, versions } from './state.fixture.js';

afterEach(cleanUp);

/** Addresses of one out side with a snapshot replyer, and of the in sides that talk to it. */
async function ports(): Promise<{ out: Record<string, string>; in: Record<string, string> }> {
  const publisher = `127.0.0.1:${await freePort()}`;
  const replyer = `127.0.0.1:${await freePort()}`;
  return { out: { publisher, replyer }, in: { subscriber: publisher, requester: replyer } };
}

/** A raw Router standing in for the out side's replyer: it hands each request to the test to answer. */
async function rawReplyer(address: string): Promise<{ requests: Buffer[][]; answer(index: number, reply: Uint8Array): Promise<void> }> {
  const socket = new Router({ linger: 0 });
  onCleanUp(() => socket.close());
  await socket.bind(`tcp://${address}`);
  const requests: Buffer[][] = [];
  void (async () => {
    try {
      for await (const frames of socket) requests.push(frames);
    } catch {
      // closed by cleanUp
    }
  })();
  return {
    requests,
    answer: async (index, reply) => {
      await socket.send([...requests[index]!.slice(0, -1), reply]);
    },
  };
}

/** A raw Publisher standing in for the out side's publisher. */
async function rawPublisher(address: string): Promise<Publisher> {
  const socket = new Publisher({ linger: 0 });
  onCleanUp(() => socket.close());
  await socket.bind(`tcp://${address}`);
  return socket;
}

describe('snapshots', () => {
  it('give a late joiner the current value as soon as open() resolves', async () => {
    const addresses = await ports();
    const out = await openOut(addresses.out);
    await out.endpoint.send?.(stateMessage({ version: 1 }, 'w1'));
    await out.endpoint.send?.(stateMessage({ version: 2, label: 'latest' }, 'w2'));
    const late = await openIn(addresses.in);
    expect(late.context.updates).toEqual([{ value: { version: 2, label: 'latest' }, workflowId: 'w2' }]);
    await out.endpoint.send?.(stateMessage({ version: 3 }, 'w3'));
    await until(() => late.context.updates.length === 2);
    expect(versions(late.context)).toEqual([2, 3]);
  });

  it('carry Decimal, set, UUID, Date and bytes exactly', async () => {
    const addresses = await ports();
    const out = await openOut(addresses.out);
    await out.endpoint.send?.(stateMessage(richValue(), 'rich'));
    const richCheck = compileArguments(RICH_MODEL, { root: 'state' }).check;
    const late = await openIn(addresses.in, {}, { check: richCheck });
    expect(late.context.updates).toEqual([{ value: richValue(), workflowId: 'rich' }]);
  });

  it('leave the value unknown while the out side has published nothing, then take its first publication', async () => {
    const addresses = await ports();
    const out = await openOut(addresses.out);
    const early = await openIn(addresses.in);
    expect(early.context.updates).toEqual([]);
    const deadline = Date.now() + 5000;
    while (early.context.updates.length === 0 && Date.now() < deadline) {
      await out.endpoint.send?.(stateMessage({ version: 1 }));
      await sleep(20);
    }
    expect(early.context.updates[0]?.value).toEqual({ version: 1 });
  });

  it('answer REQ peers with {} before the first publication, the latest value after, and an error to a bad request', async () => {
    const addresses = await ports();
    const out = await openOut(addresses.out);
    const req = new Request({ linger: 0, receiveTimeout: 2000 });
    onCleanUp(() => req.close());
    req.connect(`tcp://${addresses.out.replyer}`);
    const ask = async (frame: Uint8Array) => {
      await req.send(frame);
      const [reply] = await req.receive();
      return decodeReply(reply!);
    };
    const snapshotRequest = encodeRequest({ args: {}, workflow_id: null });
    expect(await ask(snapshotRequest)).toEqual({ return_args: {}, workflow_id: null });
    await out.endpoint.send?.(stateMessage({ version: 1 }, 'w1'));
    await out.endpoint.send?.(stateMessage({ version: 2 }, 'w2'));
    expect(await ask(snapshotRequest)).toEqual({ return_args: { version: 2 }, workflow_id: 'w2' });
    const bad = await ask(Buffer.from('garbage'));
    expect(bad).toMatchObject({ return_args: null, error: { type: 'DecodeError', code: 'SF_DECODE_FAILED' } });
    expect(await ask(snapshotRequest)).toEqual({ return_args: { version: 2 }, workflow_id: 'w2' });
    expect(out.context.rejects.map((reject) => reject.reason)).toEqual(['undecodable']);
  });

  it('never let a snapshot overwrite a publication that arrived while it was pending', async () => {
    const addresses = await ports();
    const replyer = await rawReplyer(addresses.out.replyer!);
    const publisher = await rawPublisher(addresses.out.publisher!);
    const { context, endpoint } = await openIn(addresses.in, { snapshot_timeout_ms: 5000 }, { open: false });
    const opening = endpoint.open();
    await until(() => replyer.requests.length === 1);
    const deadline = Date.now() + 5000;
    while (context.updates.length === 0 && Date.now() < deadline) {
      await publisher.send(encodeRequest({ args: { version: 5 }, workflow_id: 'newer' }));
      await sleep(20);
    }
    expect(decodeRequest(replyer.requests[0]!.at(-1)!)).toEqual({ args: {}, workflow_id: null });
    await replyer.answer(0, encodeReply({ return_args: { version: 4 }, workflow_id: 'older' }));
    await opening;
    await sleep(50);
    expect(context.updates.every((update) => update.workflowId === 'newer')).toBe(true);
    expect(context.logs.some((line) => line.msg?.includes('a newer publication arrived'))).toBe(true);
  });

  it('retry in the background after a timeout until the out side answers', async () => {
    const addresses = await ports();
    const started = Date.now();
    const { context } = await openIn(addresses.in, { snapshot_timeout_ms: 100 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(context.updates).toEqual([]);
    expect(context.logs.some((line) => line.level === 'info' && line.msg?.includes('got no snapshot'))).toBe(true);
    const replyer = await rawReplyer(addresses.out.replyer!);
    await until(() => replyer.requests.length > 0);
    await replyer.answer(replyer.requests.length - 1, encodeReply({ return_args: { version: 9 }, workflow_id: 'late' }));
    await until(() => context.updates.length === 1);
    expect(context.updates).toEqual([{ value: { version: 9 }, workflowId: 'late' }]);
  });

  it('stop retrying once a publication arrives', async () => {
    const addresses = await ports();
    const publisher = await rawPublisher(addresses.out.publisher!);
    const { context } = await openIn(addresses.in, { snapshot_timeout_ms: 50 });
    const deadline = Date.now() + 5000;
    while (context.updates.length === 0 && Date.now() < deadline) {
      await publisher.send(encodeRequest({ args: { version: 1 }, workflow_id: null }));
      await sleep(20);
    }
    const replyer = await rawReplyer(addresses.out.replyer!);
    await sleep(800);
    expect(replyer.requests).toEqual([]);
  });

  it('drop an off-model or error snapshot reply without retrying', async () => {
    const addresses = await ports();
    const replyer = await rawReplyer(addresses.out.replyer!);
    const first = openIn(addresses.in, { snapshot_timeout_ms: 2000 });
    await until(() => replyer.requests.length === 1);
    await replyer.answer(0, encodeReply({ return_args: { version: 'x' }, workflow_id: null }));
    const { context } = await first;
    expect(context.updates).toEqual([]);
    expect(context.logs.some((line) => line.level === 'warn' && line.msg?.includes('snapshot that does not match the model'))).toBe(true);
    await sleep(300);
    expect(replyer.requests).toHaveLength(1);
  });

  it('ask for a fresh snapshot when the subscriber reconnects to a restarted out side', async () => {
    const addresses = await ports();
    const first = await openOut(addresses.out);
    await first.endpoint.send?.(stateMessage({ version: 1 }, 'before'));
    const sub = await openIn(addresses.in, { snapshot_timeout_ms: 500 });
    expect(versions(sub.context)).toEqual([1]);
    await first.endpoint.close();
    // The restarted out side: its replyer knows version 2, its publisher stays silent.
    const replyer = await rawReplyer(addresses.out.replyer!);
    await rawPublisher(addresses.out.publisher!);
    await until(() => replyer.requests.length > 0);
    await replyer.answer(replyer.requests.length - 1, encodeReply({ return_args: { version: 2 }, workflow_id: 'after' }));
    await until(() => sub.context.updates.length === 2);
    expect(sub.context.updates.at(-1)).toEqual({ value: { version: 2 }, workflowId: 'after' });
  });

  it('converge on the next publication of a restarted out side without a requester', async () => {
    const port = await freePort();
    const first = await openOut({ publisher: `127.0.0.1:${port}` });
    const sub = await openIn({ subscriber: `127.0.0.1:${port}` });
    let deadline = Date.now() + 5000;
    while (sub.context.updates.length === 0 && Date.now() < deadline) {
      await first.endpoint.send?.(stateMessage({ version: 1 }));
      await sleep(20);
    }
    await first.endpoint.close();
    const second = await openOut({ publisher: `127.0.0.1:${port}` });
    deadline = Date.now() + 5000;
    while (sub.context.updates.at(-1)?.value.version !== 2 && Date.now() < deadline) {
      await second.endpoint.send?.(stateMessage({ version: 2 }));
      await sleep(20);
    }
    expect(sub.context.updates.at(-1)?.value).toEqual({ version: 2 });
  });
});
