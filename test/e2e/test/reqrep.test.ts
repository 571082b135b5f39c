import { decodeReply, encodeRequest } from '@sf/core';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, loopback, RawRequester, startSf } from '../src/index.js';
import { useE2eHooks } from './helpers/hooks.js';

const temp = useE2eHooks();

/** Addresses for a replyer and a requester of one connection name on one port. */
async function reqrepAddresses(name: string, port: number): Promise<string> {
  return temp.addresses({ connections: { in: { [name]: { replyer: loopback(port) } }, out: { [name]: { requester: loopback(port) } } } });
}

describe('request/reply between sf run processes', () => {
  it('a main-mode requester gets the replyer’s answers; both exit 0', async () => {
    const addresses = await reqrepAddresses('echo', await freePort());
    const replyer = startSf(['-s', 'echo-replyer.ts', '-a', addresses]);
    await replyer.ready();

    const requester = startSf(['-s', 'echo-requester.mjs', '-a', addresses, '-m', '--words', 'ping pong']);
    expect(await requester.exitCode(), requester.output()).toBe(0);
    expect(requester.stdout.filter((line) => line.startsWith('reply:'))).toEqual(['reply: PING #1', 'reply: PONG #2']);
    expect(replyer.stdout.filter((line) => line.startsWith('echo-replyer got'))).toEqual([
      "echo-replyer got 'ping'",
      "echo-replyer got 'pong'",
    ]);

    expect(await replyer.stop('SIGINT'), replyer.output()).toBe(0);
  });

  it('the replyer logs each request with the workflow ids the requester sent: <id>, then <id>_1', async () => {
    const addresses = await reqrepAddresses('echo', await freePort());
    const replyer = startSf(['-s', 'echo-replyer.ts', '-a', addresses, '-cl', 'debug']);
    await replyer.ready();

    const requester = startSf(['-s', 'echo-requester.mjs', '-a', addresses, '-m', '--words', 'one two']);
    expect(await requester.exitCode(), requester.output()).toBe(0);
    const finished = await requester.waitForLine(/\] main finished /);
    const id = workflowIdOf(finished);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const received = replyer.lines.filter((line) => /\] received /.test(line));
    expect(received.map(workflowIdOf)).toEqual([id, `${id}_1`]);
    expect(await replyer.stop('SIGINT')).toBe(0);
  });
});

describe('a replyer answers bad requests with error replies and keeps serving', () => {
  let raw: RawRequester | undefined;
  afterEach(() => raw?.close());

  async function startChecked() {
    const [repeatPort, failPort] = [await freePort(), await freePort()];
    const addresses = await temp.addresses({
      connections: { in: { repeat: { replyer: loopback(repeatPort) }, fail: { replyer: loopback(failPort) } } },
    });
    const replyer = startSf(['-s', 'checked-replyer.ts', '-a', addresses]);
    await replyer.ready();
    return { replyer, repeatPort, failPort };
  }

  it('args that break the model → an error reply naming the argument path; the next request is answered', async () => {
    const { replyer, repeatPort } = await startChecked();
    raw = new RawRequester(repeatPort);

    const bad = decodeReply(await raw.request(encodeRequest({ args: { text: 5 }, workflow_id: 'wf-bad' })));
    expect(bad.return_args).toBeNull();
    expect(bad.workflow_id).toBe('wf-bad');
    expect(bad.error?.type).toBe('ValidationError');
    expect(bad.error?.message).toContain('args.text');

    const missing = decodeReply(await raw.request(encodeRequest({ args: { times: 2 }, workflow_id: null })));
    expect(missing.error?.message).toContain('args.text');

    const good = decodeReply(await raw.request(encodeRequest({ args: { text: 'ab', times: 3 }, workflow_id: 'wf-good' })));
    expect(good).toEqual({ return_args: { text: 'ababab' }, workflow_id: 'wf-good' });
    expect(replyer.running).toBe(true);
    expect(await replyer.stop('SIGINT'), replyer.output()).toBe(0);
  });

  it('a throwing handler → a generic error reply naming the workflow id; the next request is answered', async () => {
    const { replyer, failPort } = await startChecked();
    raw = new RawRequester(failPort);

    const thrown = decodeReply(await raw.request(encodeRequest({ args: { text: 'boom' }, workflow_id: 'wf-1' })));
    expect(thrown.return_args).toBeNull();
    expect(thrown.error).toMatchObject({ type: 'HandlerError', code: 'SF_HANDLER_FAILED' });
    expect(thrown.error?.message).toContain('wf-1');
    expect(thrown.error?.message).not.toContain('boom');

    const fine = decodeReply(await raw.request(encodeRequest({ args: { text: 'fine' }, workflow_id: 'wf-2' })));
    expect(fine).toEqual({ return_args: { ok: true }, workflow_id: 'wf-2' });
    expect(replyer.lines.some((line) => /the handler threw/.test(line))).toBe(true);
    expect(await replyer.stop('SIGINT'), replyer.output()).toBe(0);
  });

  it('a frame that is not MessagePack → an error reply; the service keeps serving', async () => {
    const { replyer, repeatPort } = await startChecked();
    raw = new RawRequester(repeatPort);

    // 0xc1 is the one byte MessagePack never uses.
    const garbage = decodeReply(await raw.request(Uint8Array.from([0xc1, 0x00, 0xff])));
    expect(garbage.return_args).toBeNull();
    expect(garbage.error?.type).toBe('DecodeError');
    const notAnEnvelope = decodeReply(await raw.request(Uint8Array.from([0x2a]))); // msgpack 42
    expect(notAnEnvelope.error?.type).toBe('DecodeError');

    const good = decodeReply(await raw.request(encodeRequest({ args: { text: 'ok' }, workflow_id: 'wf-3' })));
    expect(good).toEqual({ return_args: { text: 'ok' }, workflow_id: 'wf-3' });
    expect(await replyer.stop('SIGINT'), replyer.output()).toBe(0);
  });
});

describe('a requester whose replyer is down', () => {
  it('times out with SF_REQUEST_TIMEOUT, then works once the replyer is started', async () => {
    const addresses = await reqrepAddresses('echo', await freePort());
    const requester = startSf(['-s', 'retry-requester.mjs', '-a', addresses, '-m', '--timeout_ms', '300', '--tries', '40']);
    await requester.waitForLine(/^attempt 1: error SF_REQUEST_TIMEOUT$/);

    const replyer = startSf(['-s', 'echo-replyer.ts', '-a', addresses]);
    await replyer.ready();
    expect(await requester.exitCode(), requester.output()).toBe(0);

    const attempts = requester.stdout.filter((line) => line.startsWith('attempt '));
    const last = attempts.at(-1) ?? '';
    expect(last).toMatch(/^attempt \d+: ok TRY \d+$/);
    expect(attempts.slice(0, -1).every((line) => /: error SF_REQUEST_TIMEOUT$/.test(line))).toBe(true);
    // The one request that got through was answered once, as sent.
    const attempt = last.match(/^attempt (\d+)/)?.[1];
    expect(last).toBe(`attempt ${attempt}: ok TRY ${attempt}`);
    expect(await replyer.stop('SIGINT')).toBe(0);
  });
});

function workflowIdOf(line: string): string | undefined {
  return line.match(/"workflow_id":"([^"]+)"/)?.[1];
}
