/**
 * Real `sf run` processes against a peer that behaves on the wire like a Python service_framework
 * 0.0.3 service (`python/peer_003.py`): uuid.UUID objects as workflow ids, Decimal/set/UUID
 * markers, topics, the seed's reply envelopes and state types. Needs a python3 with Debian's
 * python3-zmq and python3-msgpack; without one the file is skipped with a notice, unless
 * SF_REQUIRE_PYTHON=1 (CI) makes that a failure.
 */
import { decodeReply, Decimal, encodeRequest, UUID } from '@sf/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  freePorts,
  loopback,
  type PeerEvent,
  PythonPeer,
  type PythonModels,
  py,
  pythonForPeer,
  RawRequester,
  type SfProcess,
  startSf,
} from '../src/index.js';
import { useE2eHooks } from './helpers/hooks.js';

const temp = useE2eHooks();
const python = pythonForPeer();
const INSTALL = 'apt-get install -y python3-zmq python3-msgpack';
if (!python) console.warn(`python peer e2e: [SKIPPED: no python3 that can import zmq and msgpack; install them with: ${INSTALL}]`);

describe.runIf(!python && process.env.SF_REQUIRE_PYTHON === '1')('Python 0.0.3 peer (required: SF_REQUIRE_PYTHON=1)', () => {
  it('finds a python3 that can import zmq and msgpack', () => {
    expect.fail(
      `no python3 that can import zmq and msgpack (tried python3, /usr/bin/python3, /usr/local/bin/python3); install them with: ${INSTALL}`,
    );
  });
});

const ID = '123e4567-e89b-12d3-a456-426614174000';
/** An order as the Python side writes it (marker maps) and prints it back. */
const order = (note: string) => ({ price: py.decimal('101.25'), tags: py.set(['a', 'b']), id: py.uuid(ID), note });

/** 0.0.3 checks every argument against the model (a set only against a set type): the models of an order and a tick. */
const ORDER_ARGS = { price: 'Decimal', tags: '{str}', id: 'UUID', note: 'str' };
const ORDER = { required_arguments: ORDER_ARGS, required_return_arguments: ORDER_ARGS, optional_return_arguments: { relayed: 'int' } };
const TICK = { required_arguments: { n: 'int', price: 'Decimal', tags: '{str}', id: 'UUID' } };
const QUOTE = { required_arguments: { price: 'Decimal', tags: '{str}', id: 'UUID' } };

/** The workflow id of a runner log line. */
const workflowIdOf = (line: string) => line.match(/"workflow_id":"([^"]+)"/)?.[1];
/** The workflow ids the runner logged as `received` on the in connection/state `name`. */
const receivedIds = (proc: SfProcess, name: string) =>
  proc.lines.filter((line) => /\] received /.test(line) && line.includes(`.${name}"`)).map(workflowIdOf);
/** The string of a UUID marker the peer printed. */
const uuidText = (value: unknown) => {
  expect(value).toMatchObject({ __uuid__: true });
  return (value as { as_str: string }).as_str;
};
/** The typed JSON lines a fixture printed after `prefix `. */
const printed = (proc: SfProcess, prefix: string) =>
  proc.stdout.filter((line) => line.startsWith(`${prefix} `)).map((line) => JSON.parse(line.slice(prefix.length + 1)));

function peer(addresses: object, models: PythonModels, options: { main?: boolean; name: string }): Promise<PythonPeer> {
  return temp.addresses(addresses).then((file) => new PythonPeer(python!, file, models, options));
}

/** Repeats `act` every 100 ms until `done()` (a slow joiner misses the first publications). */
async function repeatUntil(act: () => unknown, done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 150 && !done(); i++) {
    await act();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!done()) throw new Error(`gave up waiting for ${what}`);
}

describe.skipIf(!python)('requester → replyer with a Python 0.0.3 peer', () => {
  it('Python requester (main: a new uuid.UUID per request) → TS replyer, whose handler asks a Python replyer: ids <id>, <id>_1, <id>_2', async () => {
    const [askPort, tellPort] = (await freePorts(2)) as [number, number];
    const pyReplyer = await peer(
      { connections: { in: { tell: { replyer: loopback(tellPort) } } } },
      { connections: { in: { tell: { connection_type: 'replyer', ...ORDER } } } },
      { name: 'python replyer' },
    );
    await pyReplyer.ready();
    const bridgeAddresses = await temp.addresses({
      connections: { in: { ask: { replyer: loopback(askPort) } }, out: { tell: { requester: loopback(tellPort) } } },
    });
    const bridge = startSf(['-s', 'py-bridge.ts', '-a', bridgeAddresses, '-cl', 'debug', '--relay', '3']);
    await bridge.ready();
    const pyRequester = await peer(
      { connections: { out: { ask: { requester: loopback(askPort) } } } },
      { connections: { out: { ask: { connection_type: 'requester', ...ORDER } } } },
      { main: true, name: 'python requester' },
    );
    await pyRequester.ready();

    pyRequester.send('ask', order('first'));
    pyRequester.send('ask', order('second'));
    const replies = await pyRequester.waitForEvents('reply', 2);
    expect(await pyRequester.quit(), pyRequester.output()).toBe(0);

    // Main mode: each request carried its own uuid.UUID object (a UUID marker on the wire).
    const [first, second] = pyRequester.events('sent').map((sent) => uuidText(sent.workflow_id));
    expect(first).not.toBe(second);
    // The TS replyer accepted both, logged the UUID's string and answered with it.
    expect(receivedIds(bridge, 'ask')).toEqual([first, second]);
    expect(replies.map((reply) => [reply.workflow_id, reply.return_args, reply.error])).toEqual([
      [first, { ...order('first'), relayed: 3 }, null],
      [second, { ...order('second'), relayed: 3 }, null],
    ]);
    // Decimal, set and UUID arrived typed on the TS side.
    expect(printed(bridge, 'bridge got')).toEqual([order('first'), order('second')]);

    // The handler's three onward requests: <id>, <id>_1, <id>_2 (strings), values typed both ways.
    const told = pyReplyer.events('received');
    expect(told.map((item) => item.workflow_id)).toEqual([first, `${first}_1`, `${first}_2`, second, `${second}_1`, `${second}_2`]);
    expect(told.map((item) => item.args)).toEqual([...Array(3).fill(order('first')), ...Array(3).fill(order('second'))]);
    expect(printed(bridge, 'bridge echo')).toHaveLength(6);
    expect(printed(bridge, 'bridge echo')[5]).toEqual(order('second'));

    expect(await bridge.stop('SIGINT'), bridge.output()).toBe(0);
    expect(await pyReplyer.quit(), pyReplyer.output()).toBe(0);
  });

  it("a Python handler's onward requests (the inbound uuid.UUID object first, then <id>_1, <id>_2) reach a TS replyer", async () => {
    const [relayPort, tsPort, unusedPort] = (await freePorts(3)) as [number, number, number];
    const bridgeAddresses = await temp.addresses({
      connections: { in: { ask: { replyer: loopback(tsPort) } }, out: { tell: { requester: loopback(unusedPort) } } },
    });
    const bridge = startSf(['-s', 'py-bridge.ts', '-a', bridgeAddresses, '-cl', 'debug']);
    await bridge.ready();
    const relay = await peer(
      { connections: { in: { ask: { replyer: loopback(relayPort) } }, out: { tell: { requester: loopback(tsPort) } } } },
      {
        connections: {
          in: { ask: { connection_type: 'replyer', ...ORDER, forward: { to: 'tell', times: 3 } } },
          out: { tell: { connection_type: 'requester', ...ORDER } },
        },
      },
      { name: 'python relay' },
    );
    await relay.ready();
    const pyRequester = await peer(
      { connections: { out: { ask: { requester: loopback(relayPort) } } } },
      { connections: { out: { ask: { connection_type: 'requester', ...ORDER } } } },
      { main: true, name: 'python requester' },
    );
    await pyRequester.ready();

    pyRequester.send('ask', order('relayed'));
    const [reply] = await pyRequester.waitForEvents('reply');
    const id = uuidText(pyRequester.events('sent')[0]!.workflow_id);
    // 0.0.3 replies with the inbound id as it was: a UUID object again.
    expect(reply!.workflow_id).toEqual(py.uuid(id));

    // The relay's handler sent the UUID object first, then the strings <id>_1, <id>_2.
    expect(uuidText(relay.events('received')[0]!.workflow_id)).toBe(id);
    expect(relay.events('sent').map((sent) => sent.workflow_id)).toEqual([py.uuid(id), `${id}_1`, `${id}_2`]);
    // The TS replyer took all three, logged and answered each with its string form.
    expect(receivedIds(bridge, 'ask')).toEqual([id, `${id}_1`, `${id}_2`]);
    const answers = relay.events('reply');
    expect(answers.map((answer) => answer.workflow_id)).toEqual([id, `${id}_1`, `${id}_2`]);
    expect(answers.every((answer) => answer.error === null)).toBe(true);
    expect(answers[0]!.return_args).toEqual({ ...order('relayed'), relayed: 0 });

    expect(await pyRequester.quit()).toBe(0);
    expect(await relay.quit(), relay.output()).toBe(0);
    expect(await bridge.stop('SIGINT'), bridge.output()).toBe(0);
  });
});

describe.skipIf(!python)('publisher → subscriber with a Python 0.0.3 peer, with topics', () => {
  it('TS publisher (topics prices, prices_eu) → Python subscribers of prices: only the matching topic arrives, typed', async () => {
    const [pricesPort, euPort] = (await freePorts(2)) as [number, number];
    const sub = (port: number) => ({ subscriber: loopback(port) });
    const subscriber = await peer(
      { connections: { in: { prices: sub(pricesPort), eu: sub(euPort), eu_own_topic: sub(euPort) } } },
      {
        connections: {
          in: {
            prices: { connection_type: 'subscriber', ...TICK, optional_creation_arguments: { topic: 'prices' } },
            eu: { connection_type: 'subscriber', ...TICK, optional_creation_arguments: { topic: 'prices' } },
            eu_own_topic: { connection_type: 'subscriber', ...TICK, optional_creation_arguments: { topic: 'prices_eu' } },
          },
        },
      },
      { name: 'python subscriber' },
    );
    await subscriber.ready();
    const addresses = await temp.addresses({
      connections: { out: { prices: { publisher: loopback(pricesPort) }, prices_eu: { publisher: loopback(euPort) } } },
    });
    const publisher = startSf(['-s', 'py-publisher.ts', '-a', addresses, '-m']);

    const ticks = await subscriber.waitForEvents('received', 3, (item) => item.name === 'prices');
    await subscriber.waitForEvents('received', 3, (item) => item.name === 'eu_own_topic');
    expect(await publisher.stop('SIGINT'), publisher.output()).toBe(0);

    expect(subscriber.events('received').filter((item) => item.name === 'eu')).toEqual([]);
    const n = ticks[0]!.args as { n: number };
    expect(ticks[0]!.args).toEqual({
      n: n.n,
      price: py.decimal(`${n.n}.25`),
      tags: py.set(['a', `n${n.n}`]),
      id: py.uuid('9b2f0c1e-5d4a-4e3b-8c7d-6a5b4c3d2e1f'),
    });
    // main's ids: one workflow, numbered <id>, <id>_1, … across both publishers (prices gets every other one).
    const ids = ticks.map((item) => item.workflow_id as string);
    const base = ids[0]!.replace(/_\d+$/, '');
    const suffixes = ids.map((id) => {
      expect(id.startsWith(base)).toBe(true);
      return id === base ? 0 : Number(id.slice(base.length + 1));
    });
    expect(suffixes.slice(1).every((suffix, i) => suffix === suffixes[i]! + 2)).toBe(true);
    expect(await subscriber.quit(), subscriber.output()).toBe(0);
  });

  it('Python publisher (main: a new uuid.UUID per message, topics prices and news) → TS subscribers of prices', async () => {
    const [pricesPort, newsPort] = (await freePorts(2)) as [number, number];
    const addresses = await temp.addresses({
      connections: {
        in: {
          ticks: { subscriber: loopback(pricesPort) },
          other: { subscriber: loopback(newsPort) },
          everything: { subscriber: loopback(newsPort) },
        },
      },
    });
    const subscriber = startSf(['-s', 'py-subscriber.ts', '-a', addresses, '-cl', 'debug']);
    await subscriber.ready();
    const publisher = await peer(
      { connections: { out: { prices: { publisher: loopback(pricesPort) }, news: { publisher: loopback(newsPort) } } } },
      {
        connections: {
          out: {
            prices: { connection_type: 'publisher', ...TICK, optional_creation_arguments: { topic: 'prices' } },
            news: { connection_type: 'publisher', ...TICK, optional_creation_arguments: { topic: 'news' } },
          },
        },
      },
      { main: true, name: 'python publisher' },
    );
    await publisher.ready();

    let n = 0;
    const tick = () => ({ n, price: py.decimal(`${n}.5`), tags: py.set(['x', 'y']), id: py.uuid(ID) });
    const enough = () => printed(subscriber, 'ticks').length >= 3 && printed(subscriber, 'everything').length >= 3;
    await repeatUntil(
      () => {
        n += 1;
        publisher.send('prices', tick());
        publisher.send('news', tick());
      },
      enough,
      'three ticks on each TS subscriber',
    );
    await publisher.waitForEvents('done', 2 * n);
    expect(await publisher.quit(), publisher.output()).toBe(0);

    // The TS subscribers decoded every frame they got (no "could not be decoded" warning) …
    expect(subscriber.lines.filter((line) => /could not be decoded|dropped/.test(line))).toEqual([]);
    expect(printed(subscriber, 'other')).toEqual([]);
    const got = printed(subscriber, 'ticks');
    expect(got[0]).toEqual({ n: got[0].n, price: py.decimal(`${got[0].n}.5`), tags: py.set(['x', 'y']), id: py.uuid(ID) });
    // … and logged each message under its own UUID, the one Python sent with it.
    const sentIds = new Map(publisher.events('sent').map((sent: PeerEvent) => [uuidText(sent.workflow_id), sent.name]));
    expect(sentIds.size).toBe(2 * n);
    const tickIds = receivedIds(subscriber, 'ticks');
    expect(tickIds.length).toBe(got.length);
    expect(new Set(tickIds).size).toBe(tickIds.length);
    for (const id of tickIds) expect(sentIds.get(id!)).toBe('prices');
    expect(await subscriber.stop('SIGINT'), subscriber.output()).toBe(0);
  });
});

describe.skipIf(!python)('delta and full states with a Python 0.0.3 peer, late join', () => {
  let writer: RawRequester | undefined;
  afterEach(() => writer?.close());

  it('TS delta_update_out / full_update_out → Python in-states that join after some updates', async () => {
    const [bookPub, bookRep, quotePub, writePort] = (await freePorts(4)) as [number, number, number, number];
    const addresses = await temp.addresses({
      connections: { in: { write: { replyer: loopback(writePort) } } },
      states: { out: { book: { publisher: loopback(bookPub), replyer: loopback(bookRep) }, quote: { publisher: loopback(quotePub) } } },
    });
    const tsWriter = startSf(['-s', 'py-state-writer.ts', '-a', addresses]);
    await tsWriter.ready();
    writer = new RawRequester(writePort, 10_000);
    const write = async (kind: 'delta' | 'full', state: Record<string, unknown>) => {
      const reply = decodeReply(await writer!.request(encodeRequest({ args: { kind, state }, workflow_id: `wf-${kind}` })));
      expect(reply.error).toBeUndefined();
    };
    await write('delta', { price: new Decimal('1.5'), tags: new Set(['a', 'b']), id: new UUID(ID), note: 'first' });
    await write('delta', { price: new Decimal('2.25') });
    await write('full', { price: new Decimal('9.75'), tags: new Set(['q']), id: new UUID(ID) });

    const reader = await peer(
      {
        states: {
          in: { book: { subscriber: loopback(bookPub), requester: loopback(bookRep) }, quote: { subscriber: loopback(quotePub) } },
        },
      },
      { states: { in: { book: { state_type: 'delta_update_in' }, quote: { state_type: 'full_update_in', ...QUOTE } } } },
      { name: 'python reader' },
    );
    await reader.ready();
    const states = (name: string) => reader.events('state').filter((item) => item.name === name);
    let seq = 0;
    await repeatUntil(
      () => write('delta', { seq: ++seq }),
      () => states('book').length > 0,
      'the Python reader to catch up',
    );
    // Its first update after joining is a gap: it asked the replyer for a snapshot (0.0.3's reset).
    const [joined] = states('book');
    expect(joined).toMatchObject({
      how: 'reset',
      value: { price: py.decimal('2.25'), tags: py.set(['a', 'b']), id: py.uuid(ID), note: 'first' },
    });
    await write('delta', { note: null, price: new Decimal('3') });
    const [deltaDone] = await reader.waitForEvents(
      'state',
      1,
      (item) => item.name === 'book' && item.how === 'delta' && !('note' in (item.value as object)),
    );
    expect(deltaDone!.value).toEqual({ price: py.decimal('3'), tags: py.set(['a', 'b']), id: py.uuid(ID), seq });
    expect(deltaDone!.current_num).toBe(3 + seq);
    expect(deltaDone!.workflow_id).toBe('wf-delta');

    await repeatUntil(
      () => write('full', { price: new Decimal('10.5'), tags: new Set(['q', 'r']), id: new UUID(ID) }),
      () => states('quote').length > 0,
      'a full update',
    );
    expect(states('quote')[0]).toMatchObject({
      how: 'full',
      value: { price: py.decimal('10.5'), tags: py.set(['q', 'r']), id: py.uuid(ID) },
      workflow_id: 'wf-full',
    });

    expect(await reader.quit(), reader.output()).toBe(0);
    expect(await tsWriter.stop('SIGINT'), tsWriter.output()).toBe(0);
  });

  // Needs the state-delta fix for 0.0.3 writers (their snapshots always say current_num 0): fails before it.
  it('Python delta_update_out / full_update_out (main: a uuid.UUID per update) → TS in-states that join after some updates', async () => {
    const [bookPub, bookRep, quotePub] = (await freePorts(3)) as [number, number, number];
    const pyWriter = await peer(
      { states: { out: { book: { publisher: loopback(bookPub), replyer: loopback(bookRep) }, quote: { publisher: loopback(quotePub) } } } },
      { states: { out: { book: { state_type: 'delta_update_out' }, quote: { state_type: 'full_update_out', ...QUOTE } } } },
      { main: true, name: 'python writer' },
    );
    await pyWriter.ready();
    // 0.0.3's delta_update_out takes the number and the snapshot flag from the caller.
    let num = 0;
    const delta = (state: Record<string, unknown>) => pyWriter.send('book', { state, is_snapshot: false, current_num: ++num }, 'state');
    delta({ price: py.decimal('1.5'), tags: py.set(['a', 'b']), id: py.uuid(ID), note: 'first' });
    delta({ price: py.decimal('2.25') });
    pyWriter.send('quote', { price: py.decimal('9.75'), tags: py.set(['q']), id: py.uuid(ID) }, 'state');
    await pyWriter.waitForEvents('done', 3);

    const addresses = await temp.addresses({
      states: { in: { book: { subscriber: loopback(bookPub), requester: loopback(bookRep) }, quote: { subscriber: loopback(quotePub) } } },
    });
    const reader = startSf(['-s', 'py-state-reader.ts', '-a', addresses]);
    await reader.ready();
    // The late reader starts from the snapshot the Python replyer gave it.
    const request = await pyWriter.waitForEvents('snapshot_request');
    expect(request[0]!.payload).toMatchObject({ args: {} });
    await reader.waitForLine(/^book /);
    expect(printed(reader, 'book')[0]).toEqual({ price: py.decimal('2.25'), tags: py.set(['a', 'b']), id: py.uuid(ID), note: 'first' });

    let seq = 0;
    await repeatUntil(
      () => delta({ seq: ++seq }),
      () => printed(reader, 'book').some((value) => value.seq !== undefined),
      'a delta on the TS reader',
    );
    delta({ note: null, price: py.decimal('3') });
    await reader.waitForLine(/^book .*"price":\{"__decimal__":true,"as_str":"3"\}/);
    expect(printed(reader, 'book').at(-1)).toEqual({ price: py.decimal('3'), tags: py.set(['a', 'b']), id: py.uuid(ID), seq });
    expect(reader.lines.filter((line) => /could not be decoded|dropped/.test(line))).toEqual([]);

    // Full state: no snapshot in 0.0.3, so the late reader gets the value at the next publication.
    await repeatUntil(
      () => pyWriter.send('quote', { price: py.decimal('10.5'), tags: py.set(['q', 'r']), id: py.uuid(ID) }, 'state'),
      () => printed(reader, 'quote').length > 0,
      'a full update on the TS reader',
    );
    expect(printed(reader, 'quote')[0]).toEqual({ price: py.decimal('10.5'), tags: py.set(['q', 'r']), id: py.uuid(ID) });

    expect(await reader.stop('SIGINT'), reader.output()).toBe(0);
    expect(await pyWriter.quit(), pyWriter.output()).toBe(0);
  });
});

describe.skipIf(!python)('a TS delta reader joining a 0.0.3 delta writer late', () => {
  it('ends equal to the writer, whose snapshots always say current_num 0, with a bounded number of snapshot requests', async () => {
    const [bookPub, bookRep, quotePub] = (await freePorts(3)) as [number, number, number];
    const pyWriter = await peer(
      { states: { out: { book: { publisher: loopback(bookPub), replyer: loopback(bookRep) } } } },
      { states: { out: { book: { state_type: 'delta_update_out' } } } },
      { main: true, name: 'python writer' },
    );
    await pyWriter.ready();
    // The writer numbers its updates from the caller's current_num, as a 0.0.3 service does.
    let num = 0;
    const expected: Record<string, unknown> = {};
    const delta = (state: Record<string, unknown>) => {
      Object.assign(expected, state);
      pyWriter.send('book', { state, is_snapshot: false, current_num: ++num }, 'state');
    };
    delta({ price: py.decimal('1.5'), tags: py.set(['a', 'b']), id: py.uuid(ID), note: 'first' });
    for (let i = 0; i < 9; i++) delta({ seq: num + 1 });
    await pyWriter.waitForEvents('done', num);

    const addresses = await temp.addresses({
      states: { in: { book: { subscriber: loopback(bookPub), requester: loopback(bookRep) }, quote: { subscriber: loopback(quotePub) } } },
    });
    const reader = startSf(['-s', 'py-state-reader.ts', '-a', addresses]);
    await reader.ready();
    // It joins while the writer keeps publishing: 100 more updates, 10 ms apart.
    const PUBLISHED_LATE = 100;
    for (let i = 0; i < PUBLISHED_LATE; i++) {
      delta(i % 2 === 0 ? { seq: num + 1 } : { seq: num + 1, note: `n${num + 1}` });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await pyWriter.waitForEvents('done', num);
    const snapshot = pyWriter.events('snapshot_request');
    expect(snapshot.length).toBeGreaterThan(0);
    // Every snapshot the writer gave said 0, yet the reader ends with the writer's state …
    await reader.waitForLine(new RegExp(`^book .*"seq":${num}\\b`), 15_000);
    expect(printed(reader, 'book').at(-1)).toEqual(expected);
    // … without a snapshot per publication (0.0.3's own reader asks at every update after it).
    expect(pyWriter.events('snapshot_request').length).toBeLessThanOrEqual(5);

    expect(await reader.stop('SIGINT'), reader.output()).toBe(0);
    expect(await pyWriter.quit(), pyWriter.output()).toBe(0);
  });
});
