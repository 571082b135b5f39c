import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeReply, encodeRequest } from '../codec/envelope.js';
import type { EndpointContext, Plugin } from '../plugin/contract.js';
import { CORE_MAJOR } from '../registry/core-version.js';
import { memoryPlugin } from './memory-plugin.fixture.js';
import { REJECT_LOG_LINES, RejectCounter } from './rejections.js';
import { type ServiceFolder, serviceFolder } from './test-service.fixture.js';

describe('RejectCounter', () => {
  it('counts by model and reason, totals, and hands out copies', () => {
    const counter = new RejectCounter();
    counter.count('connection_models.in.a', 'undecodable');
    counter.count('connection_models.in.a', 'undecodable');
    counter.count('connection_models.in.a', 'bad_arguments');
    counter.count('state_models.in.s', 'bad_state');
    const counts = counter.counts();
    expect(counts).toEqual({ 'connection_models.in.a': { undecodable: 2, bad_arguments: 1 }, 'state_models.in.s': { bad_state: 1 } });
    expect(counter.total).toBe(4);
    counts['connection_models.in.a']!.undecodable = 99;
    expect(counter.counts()['connection_models.in.a']!.undecodable).toBe(2);
  });

  it('a rejecter logs each rejection once at warn, with its reason and details, and counts it', () => {
    const counter = new RejectCounter();
    const lines: [string, object | string, string | undefined][] = [];
    const logger = {
      debug: () => {},
      info: () => {},
      warn: (obj: object | string, msg?: string) => lines.push(['warn', obj, msg]),
      error: () => {},
    };
    const reject = counter.rejecter('state_models.in.s', logger);
    reject('undecodable', 'dropped a publication it cannot decode', { address: 'states.in.s.subscriber' });
    expect(lines).toEqual([
      ['warn', { reason: 'undecodable', address: 'states.in.s.subscriber' }, 'dropped a publication it cannot decode'],
    ]);
    expect(counter.counts()).toEqual({ 'state_models.in.s': { undecodable: 1 } });
  });

  it('counts every rejection but logs at most REJECT_LOG_LINES per endpoint and reason per window', () => {
    const counter = new RejectCounter();
    const lines: [object | string, string | undefined][] = [];
    const logger = {
      debug: () => {},
      info: () => {},
      warn: (obj: object | string, msg?: string) => lines.push([obj, msg]),
      error: () => {},
    };
    const reject = counter.rejecter('connection_models.in.a', logger);
    for (let i = 0; i < 10_000; i++) reject('undecodable', 'bad frame', { n: i });
    reject('bad_arguments', 'bad args');
    counter.rejecter('connection_models.in.b', logger)('undecodable', 'bad frame in b');
    expect(counter.counts()).toEqual({
      'connection_models.in.a': { undecodable: 10_000, bad_arguments: 1 },
      'connection_models.in.b': { undecodable: 1 },
    });
    expect(lines.filter(([, msg]) => msg === 'bad frame')).toHaveLength(REJECT_LOG_LINES);
    expect(lines.map(([, msg]) => msg)).toContain('bad args');
    expect(lines.map(([, msg]) => msg)).toContain('bad frame in b');
  });
});

/** A state-in type that hands its context to the test, as a plugin decoding its own frames holds it. */
function probePlugin(contexts: EndpointContext[]): Plugin {
  return {
    name: '@test/probe',
    coreMajor: CORE_MAJOR,
    types: {
      probe_state: {
        side: 'in',
        kind: 'state',
        peers: [],
        addresses: [],
        replies: false,
        create(context) {
          contexts.push(context);
          return { open: async () => {}, close: async () => {} };
        },
      },
    },
  };
}

const SERVICE = `
export const connection_models = {
  in: {
    orders: { connection_type: 'memory_replyer', required_creation_arguments: { on_new_request: (args) => ({ status: 'ok ' + args.id }) }, required_arguments: { id: String }, required_return_arguments: { status: String } },
    feed: { connection_type: 'memory_subscriber', required_creation_arguments: { on_new_message: () => {} }, required_arguments: { n: Number } },
  },
};
export const state_models = { in: { prices: { state_type: 'probe_state' } } };
`;

let folder: ServiceFolder;
let logs: string;
beforeAll(async () => {
  folder = await serviceFolder({ 'guarded.mjs': SERVICE });
  logs = await mkdtemp(join(tmpdir(), 'sf-rejections-'));
});
afterAll(async () => {
  await folder.remove();
  await rm(logs, { recursive: true, force: true });
});

describe('a running service counts the inbound messages it rejects', () => {
  it('per endpoint and reason, each logged once at warn, the totals logged at shutdown; good messages are not counted', async () => {
    const contexts: EndpointContext[] = [];
    const memory = memoryPlugin();
    const { running } = await folder.start(
      'guarded.mjs',
      { plugins: [memory.plugin, probePlugin(contexts)], logging: { consoleLevel: 'fatal', folder: logs, fileLevel: 'warn' } },
      memory,
    );
    const orders = memory.inputs.get('orders')!;
    const feed = memory.inputs.get('feed')!;

    const garbage = decodeReply((await orders.push(Uint8Array.from([0xc1, 0x00])))!);
    expect(garbage.error?.type).toBe('DecodeError');
    const badArgs = decodeReply((await orders.push(encodeRequest({ args: { id: 5 }, workflow_id: 'wf-bad' })))!);
    expect(badArgs.error?.type).toBe('ValidationError');
    const good = decodeReply((await orders.push(encodeRequest({ args: { id: 'A' }, workflow_id: 'wf-good' })))!);
    expect(good.return_args).toEqual({ status: 'ok A' });
    expect(await feed.push(Uint8Array.from([0x2a]))).toBeUndefined();
    contexts[0]!.reject('bad_state', 'probe dropped a publication that does not match the model', { current_num: 7 });

    expect(running.rejected()).toEqual({
      'connection_models.in.orders': { undecodable: 1, bad_arguments: 1 },
      'connection_models.in.feed': { undecodable: 1 },
      'state_models.in.prices': { bad_state: 1 },
    });
    expect(await running.stop('SIGTERM')).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const [file] = await readdir(logs);
    const lines = (await readFile(join(logs, file ?? ''), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const rejections = lines.filter((line) => line.reason !== undefined);
    expect(rejections.map((line) => [line.level, line.reason])).toEqual([
      [40, 'undecodable'],
      [40, 'bad_arguments'],
      [40, 'undecodable'],
      [40, 'bad_state'],
    ]);
    expect(rejections[3]).toMatchObject({
      model: 'state_models.in.prices',
      current_num: 7,
      msg: 'probe dropped a publication that does not match the model',
    });
    const summary = lines.find((line) => line.msg === 'rejected inbound messages while running');
    expect(summary?.rejected).toEqual(running.rejected());
  });

  it('a peer sending bad messages in a loop gets an error reply to each, while the log gets a few lines', async () => {
    const memory = memoryPlugin();
    const floodLogs = await mkdtemp(join(tmpdir(), 'sf-flood-'));
    const { running } = await folder.start(
      'guarded.mjs',
      { plugins: [memory.plugin, probePlugin([])], logging: { consoleLevel: 'fatal', folder: floodLogs, fileLevel: 'warn' } },
      memory,
    );
    const orders = memory.inputs.get('orders')!;
    for (let i = 0; i < 200; i++) {
      expect(decodeReply((await orders.push(Uint8Array.from([0xc1, i])))!).error?.type).toBe('DecodeError');
      expect(decodeReply((await orders.push(encodeRequest({ args: { id: i }, workflow_id: null })))!).error?.type).toBe('ValidationError');
    }
    expect(running.rejected()).toEqual({ 'connection_models.in.orders': { undecodable: 200, bad_arguments: 200 } });
    expect(await running.stop('SIGTERM')).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const [file] = await readdir(floodLogs);
    const lines = (await readFile(join(floodLogs, file ?? ''), 'utf8')).trim().split('\n');
    await rm(floodLogs, { recursive: true, force: true });
    const reasons = lines.map((line) => (JSON.parse(line) as { reason?: string }).reason).filter((reason) => reason !== undefined);
    expect(reasons.filter((reason) => reason === 'undecodable')).toHaveLength(REJECT_LOG_LINES);
    expect(reasons.filter((reason) => reason === 'bad_arguments')).toHaveLength(REJECT_LOG_LINES);
  });
});
