import { compileArguments, Decimal, UUID } from '@sf/core';
import { encodeRequest } from '@sf/core/plugin';
import { freePort, listen, Outbound, sleep } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Publisher, Subscriber } from 'zeromq';
import { DEFAULT_WAIT_AFTER_CREATION_S } from './full-update-out.js';
import { cleanUp, onCleanUp, openIn, openOut, RICH_MODEL, richValue, stateMessage, until, versions, warmUp } from './state.fixture.js';

afterEach(cleanUp);

describe('full_update_out → full_update_in publications', () => {
  it('apply every publication as the whole value, in order, with its workflow id', async () => {
    const port = await freePort();
    const out = await openOut({ publisher: `127.0.0.1:${port}` });
    const sub = await openIn({ subscriber: `127.0.0.1:${port}` });
    await warmUp(out.endpoint, [sub.context]);
    for (const version of [1, 2, 3, 4, 5]) {
      expect(await out.endpoint.send?.(stateMessage({ version, label: `v${version}` }, `w${version}`))).toBeUndefined();
    }
    await until(() => sub.context.updates.length === 5);
    expect(sub.context.updates).toEqual(
      [1, 2, 3, 4, 5].map((version) => ({ value: { version, label: `v${version}` }, workflowId: `w${version}` })),
    );
  });

  it('carry the traceparent a traced to_send gives (tracing on) to the in side, and none otherwise', async () => {
    const trace = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const port = await freePort();
    const out = await openOut({ publisher: `127.0.0.1:${port}` });
    const sub = await openIn({ subscriber: `127.0.0.1:${port}` });
    await warmUp(out.endpoint, [sub.context]);
    sub.context.updates.length = 0;
    await out.endpoint.send?.(new Outbound({ version: 1 }, 'w1', trace));
    await out.endpoint.send?.(stateMessage({ version: 2 }, 'w2'));
    await until(() => sub.context.updates.length === 2);
    expect(sub.context.updates).toEqual([
      { value: { version: 1 }, workflowId: 'w1', trace },
      { value: { version: 2 }, workflowId: 'w2' },
    ]);
  });

  it('replace the value: keys absent from a publication are gone', async () => {
    const port = await freePort();
    const out = await openOut({ publisher: `127.0.0.1:${port}` });
    const sub = await openIn({ subscriber: `127.0.0.1:${port}` });
    await warmUp(out.endpoint, [sub.context]);
    await out.endpoint.send?.(stateMessage({ version: 1, label: 'one' }));
    await out.endpoint.send?.(stateMessage({ version: 2 }));
    await until(() => sub.context.updates.length === 2);
    expect(sub.context.updates.at(-1)?.value).toEqual({ version: 2 });
  });

  it('carry Decimal, set, UUID, Date and bytes exactly', async () => {
    const port = await freePort();
    const richCheck = compileArguments(RICH_MODEL, { model: 'state_models.in.prices', root: 'state' }).check;
    const out = await openOut({ publisher: `127.0.0.1:${port}` });
    const sub = await openIn({ subscriber: `127.0.0.1:${port}` }, {}, { check: richCheck });
    const deadline = Date.now() + 5000;
    while (sub.context.updates.length === 0 && Date.now() < deadline) {
      await out.endpoint.send?.(stateMessage(richValue(), 'rich'));
      await sleep(20);
    }
    const value = sub.context.updates[0]?.value ?? {};
    expect(value).toEqual(richValue());
    expect(value.price).toBeInstanceOf(Decimal);
    expect((value.price as Decimal).toFixed(2)).toBe('1.50');
    expect(value.tags).toEqual(new Set(['a', 'b']));
    expect((value.id as UUID).equals(new UUID('123e4567-e89b-12d3-a456-426614174000'))).toBe(true);
    expect((value.at as Date).toISOString()).toBe('2024-05-06T07:08:09.123Z');
    expect(value.raw).toBeInstanceOf(Uint8Array);
    expect([...(value.raw as Uint8Array)]).toEqual([0, 1, 255]);
  });

  it('log and drop publications that cannot be decoded or do not match the model, and go on', async () => {
    const port = await freePort();
    const raw = new Publisher({ linger: 0 });
    onCleanUp(() => raw.close());
    await raw.bind(`tcp://127.0.0.1:${port}`);
    const sub = await openIn({ subscriber: `127.0.0.1:${port}` });
    const deadline = Date.now() + 5000;
    while (sub.context.updates.length === 0 && Date.now() < deadline) {
      await raw.send(encodeRequest({ args: { version: 0 }, workflow_id: null }));
      await sleep(20);
    }
    await sleep(50);
    sub.context.updates.length = 0;
    sub.context.logs.length = 0;
    await raw.send(Buffer.from('not msgpack at all'));
    await raw.send(Buffer.from([0x81, 0xa1, 0x78, 0x01])); // {"x": 1}: no "args"
    await raw.send(encodeRequest({ args: { version: 'seven' }, workflow_id: 'bad' }));
    await raw.send(encodeRequest({ args: { label: 'no version' }, workflow_id: 'bad' }));
    await raw.send([Buffer.from('two'), Buffer.from('frames')]);
    await raw.send(encodeRequest({ args: { version: 8 }, workflow_id: 'good' }));
    await until(() => sub.context.updates.length === 1);
    await sleep(50);
    expect(sub.context.updates).toEqual([{ value: { version: 8 }, workflowId: 'good' }]);
    const warnings = sub.context.logs.filter((line) => line.level === 'warn').map((line) => line.msg);
    expect(warnings).toEqual([
      'full_update_in dropped a publication it cannot decode',
      'full_update_in dropped a publication it cannot decode',
      'full_update_in dropped a publication that does not match the model',
      'full_update_in dropped a publication that does not match the model',
      'full_update_in dropped a message that is not exactly one frame',
    ]);
    const offModel = sub.context.logs.find((line) => line.msg?.includes('does not match'))?.obj as { err: Error; address: string };
    expect(offModel.err.message).toMatch(/state\.version/);
    expect(offModel.address).toBe('states.in.prices.subscriber');
    // Each drop reported once to the runner, which logs and counts it by reason.
    expect(sub.context.rejects.map((reject) => reject.reason)).toEqual([
      'undecodable',
      'undecodable',
      'bad_state',
      'bad_state',
      'not_one_frame',
    ]);
  });

  it('frame a topic as msgpack(topic) + payload; in sides take only their topic (or all, without one)', async () => {
    const port = await freePort();
    const out = await openOut({ publisher: `127.0.0.1:${port}` }, { topic: 'a' });
    const onA = await openIn({ subscriber: `127.0.0.1:${port}` }, { topic: 'a' });
    const onB = await openIn({ subscriber: `127.0.0.1:${port}` }, { topic: 'b' });
    const onAll = await openIn({ subscriber: `127.0.0.1:${port}` });
    const raw = new Subscriber({ linger: 0 });
    onCleanUp(() => raw.close());
    raw.subscribe();
    raw.connect(`tcp://127.0.0.1:${port}`);
    const rawFrames: Buffer[] = [];
    void (async () => {
      for await (const [frame] of raw) if (frame) rawFrames.push(frame);
    })();
    const deadline = Date.now() + 5000;
    while ((rawFrames.length === 0 || onA.context.updates.length === 0 || onAll.context.updates.length === 0) && Date.now() < deadline) {
      await out.endpoint.send?.(stateMessage({ version: 0 }, 'warmup'));
      await sleep(20);
    }
    await sleep(50);
    for (const context of [onA.context, onAll.context]) context.updates.length = 0;
    rawFrames.length = 0;
    await out.endpoint.send?.(stateMessage({ version: 1 }, 'w'));
    await until(() => onA.context.updates.length === 1 && onAll.context.updates.length === 1 && rawFrames.length === 1);
    await sleep(50);
    expect(onB.context.updates).toEqual([]);
    expect(versions(onA.context)).toEqual([1]);
    expect(versions(onAll.context)).toEqual([1]);
    const expected = Buffer.concat([Buffer.from([0xa1]), Buffer.from('a'), encodeRequest({ args: { version: 1 }, workflow_id: 'w' })]);
    expect(rawFrames.at(-1)).toEqual(expected);
  });

  it('reach several in sides on one out state', async () => {
    const port = await freePort();
    const out = await openOut({ publisher: `127.0.0.1:${port}` });
    const ins = await Promise.all([1, 2, 3].map(() => openIn({ subscriber: `127.0.0.1:${port}` })));
    await warmUp(
      out.endpoint,
      ins.map((sub) => sub.context),
    );
    await out.endpoint.send?.(stateMessage({ version: 1 }));
    await out.endpoint.send?.(stateMessage({ version: 2 }));
    await until(() => ins.every((sub) => sub.context.updates.length === 2));
    for (const sub of ins) expect(versions(sub.context)).toEqual([1, 2]);
  });
});

describe('lifecycle', () => {
  it('wait wait_after_creation_s in the out side open(), 0.15 s by default', async () => {
    expect(DEFAULT_WAIT_AFTER_CREATION_S).toBe(0.15);
    const { endpoint } = await openOut({ publisher: `127.0.0.1:${await freePort()}` }, { wait_after_creation_s: undefined }, false);
    const started = Date.now();
    await endpoint.open();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('stop applying publications once the in side is paused', async () => {
    const port = await freePort();
    const out = await openOut({ publisher: `127.0.0.1:${port}` });
    const sub = await openIn({ subscriber: `127.0.0.1:${port}` });
    await warmUp(out.endpoint, [sub.context]);
    await out.endpoint.send?.(stateMessage({ version: 1 }));
    await until(() => sub.context.updates.length === 1);
    await sub.endpoint.pause?.();
    await out.endpoint.send?.(stateMessage({ version: 2 }));
    await sleep(100);
    expect(versions(sub.context)).toEqual([1]);
  });

  it('close twice on both sides, and refuse to publish after close', async () => {
    const port = await freePort();
    const out = await openOut({ publisher: `127.0.0.1:${port}`, replyer: `127.0.0.1:${await freePort()}` });
    const sub = await openIn({ subscriber: `127.0.0.1:${port}`, requester: `127.0.0.1:${await freePort()}` }, { snapshot_timeout_ms: 50 });
    await sub.endpoint.close();
    await sub.endpoint.close();
    await out.endpoint.close();
    await out.endpoint.close();
    await expect(out.endpoint.send?.(stateMessage({ version: 1 }))).rejects.toMatchObject({
      code: 'SF_CONNECTION_CLOSED',
      what: expect.stringContaining('(states.out.prices.publisher)'),
    });
    await expect(out.endpoint.open()).rejects.toMatchObject({ code: 'SF_CONNECTION_CLOSED' });
    await expect(sub.endpoint.open()).rejects.toMatchObject({ code: 'SF_CONNECTION_CLOSED' });
  });

  it('free both bound ports by the time close() resolves', async () => {
    const addresses = { publisher: `127.0.0.1:${await freePort()}`, replyer: `127.0.0.1:${await freePort()}` };
    for (let round = 0; round < 5; round++) {
      const out = await openOut(addresses);
      await out.endpoint.close();
    }
  });

  it('fail to open on an address in use, naming the model and the address, and release the other socket on close', async () => {
    const publisherPort = await freePort();
    const replyerPort = await freePort();
    const holder = await listen(replyerPort);
    onCleanUp(() => new Promise((resolve) => holder.close(resolve)));
    const out = await openOut({ publisher: `127.0.0.1:${publisherPort}`, replyer: `127.0.0.1:${replyerPort}` }, {}, false);
    await expect(out.endpoint.open()).rejects.toMatchObject({
      code: 'SF_BIND_FAILED',
      what: `Cannot bind tcp://127.0.0.1:${replyerPort} (states.out.prices.replyer): address already in use`,
      location: { service: 'test-service.ts', model: 'state_models.out.prices' },
    });
    await out.endpoint.close();
    const again = await openOut({ publisher: `127.0.0.1:${publisherPort}` });
    await again.endpoint.close();
  });

  it('reject a missing subscriber address and a bad snapshot_timeout_ms when created', async () => {
    await expect(openIn({}, {}, { open: false })).rejects.toThrow(/No address for socket "subscriber" at states\.in\.prices\.subscriber/);
    await expect(
      openIn({ subscriber: '127.0.0.1:1', requester: '127.0.0.1:2' }, { snapshot_timeout_ms: 0 }, { open: false }),
    ).rejects.toMatchObject({ code: 'SF_VALIDATION_FAILED', location: { argument: 'optional_creation_arguments.snapshot_timeout_ms' } });
  });
});
