import { decodeReply, encodeRequest } from '@sf/core';
import { afterEach, describe, expect, it } from 'vitest';
import { freePorts, loopback, RawRequester, startSf } from '../src/index.js';
import { useE2eHooks } from './helpers/hooks.js';

const temp = useE2eHooks();

describe('sigint_handler runs on SIGINT and SIGTERM, and its to_send still works', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal}: the farewell publication and the notes request are delivered, then exit 0`, async () => {
      const [echoPort, farewellPort, notesPort] = await freePorts(3);
      const addresses = await temp.addresses({
        connections: {
          in: {
            echo: { replyer: loopback(echoPort!) },
            farewell: { subscriber: loopback(farewellPort!) },
          },
          out: {
            farewell: { publisher: loopback(farewellPort!) },
            notes: { requester: loopback(notesPort!) },
          },
        },
      });
      const notesAddresses = await temp.addresses({ connections: { in: { echo: { replyer: loopback(notesPort!) } } } });
      const listener = startSf(['-s', 'farewell-listener.mjs', '-a', addresses]);
      const notes = startSf(['-s', 'echo-replyer.ts', '-a', notesAddresses], { name: 'notes replyer' });
      await Promise.all([listener.ready(), notes.ready()]);
      const replyer = startSf(['-s', 'goodbye-replyer.ts', '-a', addresses]);
      await replyer.ready();

      expect(await replyer.stop(signal), replyer.output()).toBe(0);
      expect(replyer.stdout).toContain(`goodbye-replyer: notes answered 'STOPPING ON ${signal}'`);
      expect(notes.stdout).toContain(`echo-replyer got 'stopping on ${signal}'`);
      await listener.waitForLine(new RegExp(`^farewell received: ${signal}$`));

      expect(await listener.stop('SIGINT')).toBe(0);
      expect(await notes.stop('SIGTERM')).toBe(0);
    });
  }
});

describe('shutdown lets in-flight work finish', () => {
  let raw: RawRequester | undefined;
  afterEach(() => raw?.close());

  async function startSlow(extra: string[] = []) {
    const [port] = await freePorts(1);
    const addresses = await temp.addresses({ connections: { in: { slow: { replyer: loopback(port!) } } } });
    const replyer = startSf(['-s', 'slow-replyer.mjs', '-a', addresses, ...extra]);
    await replyer.ready();
    raw = new RawRequester(port!);
    return replyer;
  }

  it('SIGTERM while a handler runs: its reply still goes out, then exit 0', async () => {
    const replyer = await startSlow(['--delay_ms', '500']);
    const reply = raw!.request(encodeRequest({ args: { text: 'in flight' }, workflow_id: 'wf-slow' }));
    await replyer.waitForLine(/^slow start in flight$/);
    replyer.signal('SIGTERM');

    expect(decodeReply(await reply)).toEqual({ return_args: { text: 'in flight' }, workflow_id: 'wf-slow' });
    expect(await replyer.exitCode(), replyer.output()).toBe(0);
    // The handler ended after the signal was taken: the shutdown really waited for it.
    const stopping = replyer.lines.findIndex((line) => /\] stopping /.test(line));
    expect(stopping).toBeGreaterThan(-1);
    expect(replyer.lines.indexOf('slow end in flight')).toBeGreaterThan(stopping);
  });

  it('a second signal during a slow shutdown exits at once', async () => {
    const replyer = await startSlow(['--stop_ms', '20000']);
    replyer.signal('SIGTERM');
    await replyer.waitForLine(/^sigint_handler waiting 20000 ms after SIGTERM$/);

    const sent = Date.now();
    replyer.signal('SIGINT');
    const code = await replyer.exitCode(5000);
    expect(Date.now() - sent).toBeLessThan(2000);
    expect(code).not.toBe(0);
  });
});
