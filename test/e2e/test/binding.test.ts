import { readFileSync } from 'node:fs';
import { decodeReply, encodeRequest } from '@sf/core';
import { describe, expect, it } from 'vitest';
import { freePorts, loopback, RawRequester, startSf } from '../src/index.js';
import { useE2eHooks } from './helpers/hooks.js';

/**
 * SPEC §4's binding rule on a real `sf run`: a binding socket listens where its address says.
 * `127.0.0.1:p` must not be reachable from another interface, `*:p` must: the kernel's table of
 * listening TCP sockets (/proc/net/tcp, tcp6) shows the address each port is bound to.
 */
const temp = useE2eHooks();

/** The local addresses listening on `port`, as `a.b.c.d` (IPv4) or `v6:<hex>`, from /proc/net/tcp and tcp6. */
function listeningOn(port: number): string[] {
  const found: string[] = [];
  for (const [file, v6] of [
    ['/proc/net/tcp', false],
    ['/proc/net/tcp6', true],
  ] as const) {
    let table = '';
    try {
      table = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of table.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (local === undefined || state !== '0A') continue; // 0A: LISTEN
      const [hexAddress, hexPort] = local.split(':');
      if (Number.parseInt(hexPort!, 16) !== port) continue;
      found.push(
        v6
          ? `v6:${hexAddress}`
          : (hexAddress!.match(/../g) ?? [])
              .reverse()
              .map((byte) => Number.parseInt(byte, 16))
              .join('.'),
      );
    }
  }
  return found;
}

describe('binding sockets bind the host they are given', () => {
  it('127.0.0.1:p listens on loopback only, *:p on every interface, and only the exposed socket is warned about', async () => {
    const [local, open, feed, book, snapshots] = await freePorts(5);
    const addresses = await temp.addresses({
      connections: {
        in: { echo: { replyer: loopback(local!) }, probe: { replyer: `*:${open}` }, feed: { subscriber: loopback(feed!) } },
      },
      states: { in: { book: { subscriber: loopback(book!), requester: loopback(snapshots!) } } },
    });
    const target = startSf(['-s', 'fuzz-target.ts', '-a', addresses]);
    await target.ready();

    expect(listeningOn(local!)).toEqual(['127.0.0.1']);
    expect(listeningOn(open!)).toEqual(['0.0.0.0']);

    // Both still answer on loopback.
    for (const port of [local!, open!]) {
      const peer = new RawRequester(port);
      try {
        const reply = decodeReply(await peer.request(encodeRequest({ args: { n: 1, text: 'a' }, workflow_id: null })));
        expect(reply.error?.type ?? 'answered').not.toBe('DecodeError');
      } finally {
        peer.close();
      }
    }

    const warnings = target.lines.filter((line) => line.includes('reachable from the network, without CURVE'));
    expect(warnings, target.output()).toHaveLength(1);
    expect(warnings[0]).toContain('connections.in.probe.replyer');
    expect(warnings[0]).toContain(`tcp://*:${open}`);
    expect(await target.stop('SIGTERM')).toBe(0);
  });
});
