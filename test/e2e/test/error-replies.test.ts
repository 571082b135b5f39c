import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeReply, encodeRequest } from '@sf/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, freePort, loopback, RawRequester, REPO_ROOT, startSf } from '../src/index.js';
import { useE2eHooks } from './helpers/hooks.js';

const temp = useE2eHooks();

/** Starts thrower.ts with a log folder; returns its ports, the process and the folder. */
async function startThrower() {
  const [explodePort, refusePort] = [await freePort(), await freePort()];
  const ports = { explode: explodePort, refuse: refusePort };
  const addresses = await temp.addresses({
    connections: {
      in: { explode: { replyer: loopback(explodePort) }, refuse: { replyer: loopback(refusePort) } },
      out: { explode: { requester: loopback(explodePort) }, refuse: { requester: loopback(refusePort) } },
    },
  });
  const logs = await temp.path('logs');
  const replyer = startSf(['-s', 'thrower.ts', '-a', addresses, '-l', logs, '-f', 'info']);
  await replyer.ready();
  return { ports, addresses, logs, replyer };
}

/** The JSON records of every .log file in `folder`. */
async function logRecords(folder: string): Promise<Record<string, unknown>[]> {
  const files = (await readdir(folder)).filter((name) => name.endsWith('.log'));
  const text = (await Promise.all(files.map((name) => readFile(join(folder, name), 'utf8')))).join('');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Asserts the raw reply bytes name no file, path, stack frame or exception text. */
function expectNoLocalDetail(frame: Uint8Array): void {
  const wire = Buffer.from(frame).toString('latin1');
  for (const leak of ['secret', 'key.pem', '/etc', '/var', 'orders.db', 'thrower', FIXTURES, REPO_ROOT, 'connection_models', '    at ']) {
    expect(wire, `reply bytes contain ${JSON.stringify(leak)}`).not.toContain(leak);
  }
  expect(wire, 'reply bytes contain a path separator').not.toContain('/');
}

describe('error replies on the wire (raw ZeroMQ REQ peer against sf run)', () => {
  let raw: RawRequester | undefined;
  afterEach(() => raw?.close());

  it('a handler that throws: a generic HandlerError with the workflow id; the log has the error under that id', async () => {
    const { ports, logs, replyer } = await startThrower();
    raw = new RawRequester(ports.explode);

    const frame = await raw.request(encodeRequest({ args: { text: 'go' }, workflow_id: 'wf-throw' }));
    expectNoLocalDetail(frame);
    expect(decodeReply(frame)).toEqual({
      return_args: null,
      workflow_id: 'wf-throw',
      error: {
        type: 'HandlerError',
        code: 'SF_HANDLER_FAILED',
        message: 'The service failed to handle the request (workflow id wf-throw). Its log has the details under this workflow id',
      },
    });
    // A request without a workflow id gets a new one, in the reply and in its message.
    const unnamed = decodeReply(await raw.request(encodeRequest({ args: { text: 'go' }, workflow_id: null })));
    expect(unnamed.workflow_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(unnamed.error?.message).toContain(`(workflow id ${unnamed.workflow_id})`);

    const line = await replyer.waitForLine(/the handler threw/);
    expect(line).toContain('"workflow_id":"wf-throw"');
    expect(line).toContain('secret at /etc/app/key.pem');
    expect(await replyer.stop('SIGINT'), replyer.output()).toBe(0);
    const logged = (await logRecords(logs)).find((record) => record.msg === 'the handler threw' && record.workflow_id === 'wf-throw');
    expect(logged, JSON.stringify(await logRecords(logs))).toMatchObject({
      from: 'connection_models.in.explode',
      error: { type: 'Error', message: 'secret at /etc/app/key.pem', stack: expect.stringContaining('thrower.ts') },
    });
  });

  it('args that break the model: the argument path and what was expected, not the service file', async () => {
    const { ports, replyer } = await startThrower();
    raw = new RawRequester(ports.explode);

    const frame = await raw.request(encodeRequest({ args: { text: 5 }, workflow_id: 'wf-bad' }));
    expectNoLocalDetail(frame);
    expect(decodeReply(frame)).toEqual({
      return_args: null,
      workflow_id: 'wf-bad',
      error: {
        type: 'ValidationError',
        code: 'SF_VALIDATION_FAILED',
        message: 'Value does not match its type: expected String, received number 5 (argument args.text)',
      },
    });
    // The local log keeps the full message, service file included.
    const logged = await replyer.waitForLine(/rejected a message with bad arguments/);
    expect(logged).toContain('"workflow_id":"wf-bad"');
    expect(logged).toContain(join(FIXTURES, 'thrower.ts'));
    expect(await replyer.stop('SIGINT'), replyer.output()).toBe(0);
  });

  it('a PublicError: its type, code and message arrive as the handler wrote them, its cause does not', async () => {
    const { ports, replyer } = await startThrower();
    raw = new RawRequester(ports.refuse);

    const frame = await raw.request(encodeRequest({ args: { order_id: 42 }, workflow_id: 'wf-42' }));
    expectNoLocalDetail(frame);
    expect(decodeReply(frame)).toEqual({
      return_args: null,
      workflow_id: 'wf-42',
      error: { type: 'OrderNotFound', code: 'ORDER_NOT_FOUND', message: 'order 42 is unknown' },
    });
    expect(await replyer.stop('SIGINT'), replyer.output()).toBe(0);
  });

  it('an sf run requester gets a RemoteError holding the type, code and message', async () => {
    const { addresses, replyer } = await startThrower();
    const caller = startSf(['-s', 'thrower-caller.mjs', '-a', addresses, '-m']);
    expect(await caller.exitCode(), caller.output()).toBe(0);
    const said = caller.stdout.filter((line) => /^(refuse|explode): /.test(line));
    expect(said).toHaveLength(2);
    expect(said[0]).toMatch(
      /^refuse: SF_REMOTE_ERROR OrderNotFound ORDER_NOT_FOUND \| The peer answered with OrderNotFound ORDER_NOT_FOUND: order 42 is unknown \(/,
    );
    expect(said[1]).toMatch(
      /^explode: SF_REMOTE_ERROR HandlerError SF_HANDLER_FAILED \| The peer answered with HandlerError SF_HANDLER_FAILED: The service failed to handle the request \(workflow id [0-9a-f-]{36}(_\d+)?\)/,
    );
    expect(await replyer.stop('SIGINT'), replyer.output()).toBe(0);
  });
});
